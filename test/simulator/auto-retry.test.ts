import { iso, minute, startApi, t0, threeContacts } from './helpers';
import type { Execution, SimulatorApi } from './helpers';

/**
 * Bolna's own auto-retry (`retry_config` on create), run as documented: a call ending in a status to retry on goes
 * back to `scheduled` with its own `scheduled_at`, is placed again after the interval, and carries `retry_count`,
 * `retry_history` and `batch_run_details.retried`. Durations as in lifecycle.test.ts (2 lines, dial 2 s, ring
 * 10 s, talk 60 s, post-processing 150 s): unanswered first attempts end at +12, +13 and +24 s.
 */

const start = t0 + 10 * minute;
const second = 1_000;

let api: SimulatorApi;
afterEach(() => api.simulator.close());

async function retryingBatch(retryConfig: Record<string, unknown>): Promise<string> {
  const batchId = await api.createBatch(threeContacts, { retry_config: JSON.stringify(retryConfig) });
  expect((await api.schedule(batchId, '2026-06-23T12:05:00+00:00')).status).toBe(200);
  return batchId;
}

async function executionsAt(batchId: string, atMs: number): Promise<Execution[]> {
  api.clock.set(atMs);
  return api.executions(batchId);
}

test('an unanswered call goes back to scheduled with its own scheduled_at, then is placed again and completes', async () => {
  api = await startApi({ calls: { outcomes: { 'no-answer': 1 }, retryOutcomes: { completed: 1 } } });
  const batchId = await retryingBatch({ enabled: true, max_retries: 2, retry_intervals_minutes: [30, 60] });

  const firstEnd = start + 12 * second;
  const waiting = await executionsAt(batchId, start + 30 * second);
  expect(waiting.map((execution) => execution.status)).toEqual(['scheduled', 'scheduled', 'scheduled']);
  expect(waiting[0]).toMatchObject({
    scheduled_at: iso(firstEnd + 30 * minute),
    retry_count: 1,
    retry_history: [{ attempt: 1, status: 'no-answer', at: iso(firstEnd) }],
    batch_run_details: { status: 'scheduled', retried: 1 },
    telephony_data: null,
  });
  expect(await api.batch(batchId)).toMatchObject({ status: 'running', execution_status: { scheduled: 3 } });

  const retried = await executionsAt(batchId, firstEnd + 30 * minute + 2.5 * second);
  expect(retried[0]).toMatchObject({ status: 'ringing', retry_count: 1 });

  // The last retry (call 3's, placed at +24 s + 30 min) is final 222 s after it was placed.
  const lastDone = start + 24 * second + 30 * minute + 222 * second;
  api.clock.set(lastDone - 1);
  expect(await api.batch(batchId)).toMatchObject({
    status: 'running',
    execution_status: { completed: 2, 'call-disconnected': 1 },
  });
  const done = await executionsAt(batchId, lastDone);
  expect(done.map((execution) => execution.status)).toEqual(['completed', 'completed', 'completed']);
  expect(done[0]).toMatchObject({
    retry_count: 1,
    retry_history: [{ attempt: 1, status: 'no-answer', at: iso(firstEnd) }],
    batch_run_details: { status: 'completed', retried: 1 },
    conversation_duration: 60,
    total_cost: 9,
  });
  expect(await api.batch(batchId)).toMatchObject({ status: 'completed', execution_status: { completed: 3 } });
});

test('a call retried up to max_retries keeps its last status, with every earlier attempt in retry_history', async () => {
  api = await startApi({ calls: { outcomes: { 'no-answer': 1 } } });
  const batchId = await retryingBatch({ enabled: true, max_retries: 2, retry_intervals_minutes: [30, 60] });
  const firstEnd = start + 12 * second;
  const secondEnd = firstEnd + 30 * minute + 12 * second;
  const thirdEnd = secondEnd + 60 * minute + 12 * second;

  expect((await executionsAt(batchId, secondEnd))[0]).toMatchObject({
    status: 'scheduled',
    scheduled_at: iso(secondEnd + 60 * minute),
    retry_count: 2,
  });
  const [last] = await executionsAt(batchId, thirdEnd);
  expect(last).toMatchObject({
    status: 'no-answer',
    retry_count: 2,
    retry_history: [
      { attempt: 1, status: 'no-answer', at: iso(firstEnd) },
      { attempt: 2, status: 'no-answer', at: iso(secondEnd) },
    ],
    batch_run_details: { retried: 2 },
  });
  api.clock.set(t0 + 5 * 60 * minute);
  expect(await api.batch(batchId)).toMatchObject({
    status: 'completed',
    execution_status: { 'no-answer': 3 },
  });
});

test('without enabled, or on a status not listed, nothing is retried', async () => {
  api = await startApi({ calls: { outcomes: { 'no-answer': 1 } } });
  const batches = [
    await retryingBatch({ enabled: false }),
    await retryingBatch({ enabled: true, retry_on_statuses: ['busy'] }),
  ];
  api.clock.set(start + 30 * second);
  for (const batchId of batches) {
    const executions = await api.executions(batchId);
    expect(executions.map((execution) => execution.status)).toEqual(['no-answer', 'no-answer', 'no-answer']);
    expect(executions[0]).toMatchObject({
      retry_count: 0,
      retry_history: [],
      batch_run_details: { retried: 0 },
    });
    expect((await api.batch(batchId)).status).toBe('completed');
  }
});

test('the documented defaults: three retries, after 30, 60 and 120 minutes', async () => {
  api = await startApi({ calls: { outcomes: { busy: 1 } } });
  const batchId = await retryingBatch({ enabled: true });
  // Each attempt of call 1: placed, ringing 2 s later, busy a third of the 10 s ring after that.
  const attemptMs = 2 * second + Math.round((10 * second) / 3);
  const ends = [start + attemptMs];
  for (const waitMinutes of [30, 60, 120]) ends.push(ends.at(-1)! + waitMinutes * minute + attemptMs);

  const [third] = await executionsAt(batchId, ends[2]!);
  expect(third).toMatchObject({ status: 'scheduled', retry_count: 3 });
  expect(Date.parse(third!.scheduled_at as string)).toBe(ends[2]! + 120 * minute);
  const [last] = await executionsAt(batchId, ends[3]!);
  expect(last).toMatchObject({ status: 'busy', retry_count: 3 });
  const history = last!.retry_history as { attempt: number; status: string; at: string }[];
  expect(history.map(({ attempt, status, at }) => [attempt, status, Date.parse(at)])).toEqual(
    ends.slice(0, 3).map((end, i) => [i + 1, 'busy', end]),
  );
});

test.each(['ends-calls', 'connected-calls-finish'] as const)(
  'a stop cancels a retry still waiting (stop effect %s)',
  async (stopEffect) => {
    api = await startApi({ calls: { outcomes: { 'no-answer': 1 } }, variants: { stopEffect } });
    const batchId = await retryingBatch({ enabled: true, max_retries: 1, retry_intervals_minutes: [30] });
    api.clock.set(start + 60 * second);
    expect((await api.call('POST', `/batches/${batchId}/stop`)).status).toBe(200);
    const executions = await executionsAt(batchId, t0 + 3 * 60 * minute);
    expect(executions.map((execution) => execution.status)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(executions[0]).toMatchObject({ retry_count: 1, telephony_data: null });
  },
);

test('a stop that lets placed calls finish lets a retry on the line end, and places no further retry', async () => {
  api = await startApi({
    calls: { outcomes: { 'no-answer': 1 } },
    variants: { stopEffect: 'connected-calls-finish' },
  });
  const batchId = await retryingBatch({ enabled: true, max_retries: 2, retry_intervals_minutes: [30, 60] });
  // Retries are placed 30 minutes after +12, +13 and +24 s: at the stop, calls 1 and 2 are ringing again.
  api.clock.set(start + 17 * second + 30 * minute);
  expect((await api.call('POST', `/batches/${batchId}/stop`)).status).toBe(200);
  const executions = await executionsAt(batchId, t0 + 5 * 60 * minute);
  expect(executions.map((execution) => [execution.status, execution.retry_count])).toEqual([
    ['no-answer', 1],
    ['no-answer', 1],
    ['stopped', 1],
  ]);
});

test('in the variant where executed comes before every call is final, a batch waiting for its retries says executed', async () => {
  api = await startApi({
    calls: { outcomes: { 'no-answer': 1 } },
    variants: { statusNames: 'spec', executedReported: 'before-calls-final' },
  });
  const batchId = await retryingBatch({ enabled: true, max_retries: 1, retry_intervals_minutes: [30] });
  api.clock.set(start + 30 * second);
  expect(await api.batch(batchId)).toMatchObject({ status: 'executed', execution_status: { scheduled: 3 } });
});
