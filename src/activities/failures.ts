import { ApplicationFailure } from '@temporalio/common';
import { BolnaError, BolnaRateLimitedError } from '../bolna/errors';
import { InvalidCampaignInputError } from '../campaign-input';
import { CsvValidationError } from '../csv/errors';

/**
 * Turns our typed errors into ApplicationFailures Temporal understands: `type` is the error's fixed name (so
 * workflows and operators can match on it), `nonRetryable` says whether a retry can help, and a 429's
 * `Retry-After` becomes `nextRetryDelay`. Temporal's retry policy is then the only retry layer.
 */
export function toApplicationFailure(error: unknown): unknown {
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

/** Wraps an activity so every error it throws goes through `toApplicationFailure`. */
export function withFailureMapping<Args extends unknown[], Result>(
  activity: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return async (...args: Args) => {
    try {
      return await activity(...args);
    } catch (error) {
      throw toApplicationFailure(error);
    }
  };
}
