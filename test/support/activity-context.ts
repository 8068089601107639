import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { Logger } from '@temporalio/worker';

/** Running one activity without a Temporal server, and reading how it failed. */

export interface ActivityContextOptions {
  /** The attempt it runs as (default 1): creating and scheduling look for an earlier attempt's work on a retry. */
  attempt?: number;
  /** Where the activity logs; by default nowhere (expected failures would clutter the output). */
  logger?: Logger;
}

const silent = new DefaultLogger('ERROR', () => {});

/** Runs `activity` in a mock activity context and keeps its result type. */
export function inActivity<A extends unknown[], R>(
  activity: (...args: A) => Promise<R>,
  { attempt = 1, logger = silent }: ActivityContextOptions,
  ...args: A
): Promise<R> {
  return new MockActivityEnvironment({ attempt }, { logger }).run<A, R, typeof activity>(activity, ...args);
}

/** The ApplicationFailure `promise` rejects with; resolving, or rejecting with anything else, fails the test. */
export async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApplicationFailure)) {
    throw new Error(`expected an ApplicationFailure, got ${String(error)}`);
  }
  return error;
}
