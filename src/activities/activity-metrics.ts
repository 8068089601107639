import { Context } from '@temporalio/activity';
import { countAttempt, countCalls } from '../temporal/metrics';
import type { CallCounts } from '../workflows/definitions';

/**
 * What activities add to the worker's metrics, through the activity's own meter (which labels each series with the
 * activity type, namespace and task queue).
 */

/** Counts the attempt if Temporal is retrying the activity. */
export function withRetryCount<Args extends unknown[], Result>(
  activity: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return async (...args: Args) => {
    const context = Context.current();
    countAttempt(context.metricMeter, context.info.attempt);
    return activity(...args);
  };
}

/** Counts the calls of the results it collected, by status, once the collection succeeded. */
export function withCallCounts<Args extends unknown[], Result extends { counts: CallCounts }>(
  collect: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return async (...args: Args) => {
    const result = await collect(...args);
    countCalls(Context.current().metricMeter, result.counts);
    return result;
  };
}
