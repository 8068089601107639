import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { withCallCounts, withRetryCount } from '../../src/activities/activity-metrics';
import { installMetricsBuffer } from '../support/metrics-buffer';

/** What activities record, through the activity's own meter on the real Temporal runtime. */

const recorded = installMetricsBuffer();

function inActivity<R>(attempt: number, activity: () => Promise<R>): Promise<R> {
  const environment = new MockActivityEnvironment(
    { attempt, activityType: 'getBatch' },
    { metricMeter: Runtime.instance().metricMeter, logger: new DefaultLogger('ERROR', () => {}) },
  );
  return environment.run(activity);
}

afterEach(() => void recorded());

test('a retry is counted by activity type; a first attempt is not', async () => {
  const step = withRetryCount(() => Promise.resolve('polled'));
  expect(await inActivity(1, step)).toBe('polled');
  expect(recorded()).toEqual([]);
  await inActivity(3, step);
  // Counted as it starts: a retry that fails again is a retry all the same.
  const failing = withRetryCount(() => Promise.reject(new Error('Bolna 503')));
  await expect(inActivity(4, failing)).rejects.toThrow('Bolna 503');
  expect(recorded().map(({ name, value, tags }) => [name, value, tags.activityType])).toEqual([
    ['bolna_activity_retries_total', 1, 'getBatch'],
    ['bolna_activity_retries_total', 1, 'getBatch'],
  ]);
});

test('the calls of a collection are counted once it succeeded, and not when it failed', async () => {
  const counts = { completed: 2, busy: 1 };
  await inActivity(
    1,
    withCallCounts(() => Promise.resolve({ totalCalls: 3, counts })),
  );
  expect(recorded().map(({ name, value, tags }) => [name, value, tags.status])).toEqual([
    ['bolna_calls_total', 2, 'completed'],
    ['bolna_calls_total', 1, 'busy'],
  ]);
  const failing = withCallCounts((): Promise<{ counts: typeof counts }> =>
    Promise.reject(new Error('cut off')),
  );
  await expect(inActivity(2, failing)).rejects.toThrow('cut off');
  expect(recorded()).toEqual([]);
});
