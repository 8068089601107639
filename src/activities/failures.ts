import { ApplicationFailure } from '@temporalio/common';
import { BolnaError, BolnaRateLimitedError } from '../bolna/errors';
import { CsvValidationError } from '../csv/errors';
import { InvalidCampaignInputError } from '../inputs/campaign-input';
import type { Redactor } from '../platform/redaction';
import { cancellationFailure } from './activity-cancellation';

/**
 * Turns our typed errors into ApplicationFailures Temporal understands: `type` is the error's fixed name (so
 * workflows and operators can match on it), `nonRetryable` says whether a retry can help, and a 429's
 * `Retry-After` becomes `nextRetryDelay`. Temporal's retry policy is then the only retry layer.
 */
function toApplicationFailure(error: unknown): unknown {
  if (error instanceof BolnaError) {
    return ApplicationFailure.create({
      type: error.name,
      message: error.message,
      nonRetryable: !error.retryable,
      details: [{ method: error.method, path: error.path, status: error.status ?? null }],
      ...(error instanceof BolnaRateLimitedError && error.retryAfterMs !== undefined
        ? { nextRetryDelay: error.retryAfterMs }
        : {}),
    });
  }
  if (error instanceof InvalidCampaignInputError) {
    return ApplicationFailure.create({ type: error.name, message: error.message, nonRetryable: true });
  }
  if (error instanceof CsvValidationError) {
    return ApplicationFailure.create({
      type: error.name,
      message: error.message,
      nonRetryable: true,
      details: [{ problems: error.problems, totalProblems: error.totalProblems }],
    });
  }
  return error;
}

/**
 * Wraps an activity so every error it throws goes through `toApplicationFailure`, and reaches Temporal (history,
 * logs, `progress`) with every secret the worker holds taken out of its message, stack and details.
 */
export function withFailureMapping<Args extends unknown[], Result>(
  activity: (...args: Args) => Promise<Result>,
  redactor: Redactor,
): (...args: Args) => Promise<Result> {
  return async (...args: Args) => {
    try {
      return await activity(...args);
    } catch (error) {
      // A cancelled activity's requests fail as aborted, which is not what happened to the step.
      throw cancellationFailure() ?? redactFailure(toApplicationFailure(error), redactor);
    }
  };
}

function redactFailure(error: unknown, redactor: Redactor): unknown {
  if (!(error instanceof Error)) return redactor.value(error);
  const failure =
    error instanceof ApplicationFailure
      ? ApplicationFailure.create({
          message: redactor.text(error.message),
          ...(error.type ? { type: error.type } : {}),
          ...(error.nonRetryable ? { nonRetryable: true } : {}),
          ...(error.details ? { details: redactor.value(error.details) } : {}),
          ...(error.nextRetryDelay ? { nextRetryDelay: error.nextRetryDelay } : {}),
        })
      : error;
  failure.message = redactor.text(error.message);
  if (error.stack !== undefined) failure.stack = redactor.text(error.stack);
  return failure;
}
