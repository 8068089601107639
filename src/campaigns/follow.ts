import { setTimeout as sleep } from 'node:timers/promises';
import { isGrpcDeadlineError, isGrpcServiceError, ServiceError } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import { progressQuery } from '../workflows/definitions';
import type { CampaignProgress } from '../workflows/definitions';
import { outreachProgressQuery } from '../workflows/outreach-definitions';
import type { OutreachProgress } from '../workflows/outreach-definitions';
import type { AnyCampaignHandle, CampaignHandle } from './handle';

export interface FollowOptions<Progress = CampaignProgress> {
  /** Called with the campaign's progress on every look, the last time after its workflow closed. */
  onProgress: (progress: Progress) => void;
  /** Time between looks. Default 1000 ms. */
  intervalMs?: number;
  /** Stops following (not the campaign): the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Follows a campaign until its workflow closes, handing its progress to `onProgress` on every look, and resolves
 * to the last progress seen. A closed workflow still answers the query (by replay), so the last state is always
 * there, whether the campaign completed, stopped, failed or was cancelled. A look the server is too busy to answer
 * is skipped, up to `maxMissedLooks` in a row.
 */
export function followCampaign(handle: CampaignHandle, options: FollowOptions): Promise<CampaignProgress> {
  return follow(handle, progressQuery, options);
}

/** `followCampaign` for an outreach campaign: its contacts by state, waves, spend and next wave on every look. */
export function followOutreach(
  handle: AnyCampaignHandle,
  options: FollowOptions<OutreachProgress>,
): Promise<OutreachProgress> {
  return follow(handle, outreachProgressQuery, options);
}

/**
 * Looks in a row that may fail on a busy or briefly unreachable server before following gives up: the connection
 * already retries what it can, but not a call that ran out of time, and a watcher should outlast a slow minute.
 */
export const maxMissedLooks = 10;

/** gRPC codes of a server that is overloaded or away for a moment, not of a wrong request. */
const unavailable = 14;
const resourceExhausted = 8;

function isPassingTrouble(error: unknown): boolean {
  const cause = error instanceof ServiceError ? error.cause : error;
  if (isGrpcDeadlineError(cause)) return true;
  const code: number | undefined = isGrpcServiceError(cause) ? cause.code : undefined;
  return code === unavailable || code === resourceExhausted;
}

async function follow<Progress>(
  handle: AnyCampaignHandle,
  query: QueryDefinition<Progress>,
  options: FollowOptions<Progress>,
): Promise<Progress> {
  const { onProgress, intervalMs = 1000, signal } = options;
  let missedLooks = 0;
  for (;;) {
    signal?.throwIfAborted();
    let status: { name: string };
    let progress: Progress;
    try {
      // Looked at before the query, so the last progress handed over is from after the workflow closed.
      ({ status } = await handle.describe());
      progress = await handle.query(query);
      missedLooks = 0;
    } catch (error) {
      missedLooks += 1;
      if (!isPassingTrouble(error) || missedLooks >= maxMissedLooks) throw error;
      await pause(intervalMs, signal);
      continue;
    }
    signal?.throwIfAborted();
    onProgress(progress);
    if (status.name !== 'RUNNING') return progress;
    await pause(intervalMs, signal);
  }
}

/** Waits `ms`, or until `signal` aborts, then throws its reason as `signal.throwIfAborted()` does. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return sleep(ms);
  // The timer rejects only when the signal aborts.
  await sleep(ms, undefined, { signal }).catch(() => signal.throwIfAborted());
}
