import { minute, startApi, t0, threeContacts } from './helpers';
import type { SimulatorApi } from './helpers';

/**
 * The log of placed calls (`placedCalls()`): one entry per dial, Bolna's own retries included, on the simulator's
 * clock; nothing for a call never placed. Durations as in lifecycle.test.ts (2 lines, 1 s apart, dial 2 s, ring
 * 10 s): unanswered first attempts are placed at +0, +1 and +12 s and end at +12, +13 and +24 s.
 */

const start = t0 + 10 * minute;
const second = 1_000;

let api: SimulatorApi;
afterEach(() => api.simulator.close());

async function placedAt(atMs: number) {
  api.clock.set(atMs);
  return api.simulator.placedCalls();
}

test('each placement is logged once it happens, retries with their attempt number, after their delay', async () => {
  api = await startApi({ calls: { outcomes: { 'no-answer': 1 } } });
  const retryConfig = { enabled: true, max_retries: 1, retry_intervals_minutes: [30] };
  const batchId = await api.createBatch(threeContacts, { retry_config: JSON.stringify(retryConfig) });
  expect((await api.schedule(batchId, '2026-06-23T12:05:00+00:00')).status).toBe(200);
  const ids = (await api.executions(batchId)).map((execution) => execution.id);
  const entry = (row: number, placedAtMs: number, attempt: number) => ({
    batchId,
    executionId: ids[row],
    toNumber: ['+919876543210', '+919812345678', '+14155550123'][row],
    placedAtMs,
    attempt,
  });

  expect(await placedAt(start - 1)).toEqual([]);
  expect(await placedAt(start + 12 * second - 1)).toEqual([entry(0, start, 0), entry(1, start + second, 0)]);
  expect(await placedAt(start + 12 * second)).toHaveLength(3);
  // Each retry is placed 30 minutes after its first attempt ended.
  expect(await placedAt(start + 30 * minute + 24 * second)).toEqual([
    entry(0, start, 0),
    entry(1, start + second, 0),
    entry(2, start + 12 * second, 0),
    entry(0, start + 30 * minute + 12 * second, 1),
    entry(1, start + 30 * minute + 13 * second, 1),
    entry(2, start + 30 * minute + 24 * second, 1),
  ]);
  // The executions agree: every logged call has telephony data, and a retry runs on retry_count 1.
  const executions = await api.executions(batchId);
  expect(executions.map((execution) => [execution.retry_count, execution.telephony_data !== null])).toEqual([
    [1, true],
    [1, true],
    [1, true],
  ]);
  expect(await placedAt(t0 + 24 * 60 * minute)).toHaveLength(6);
});

test('a stop cuts off the placements still to come, and a retry still waiting is never placed', async () => {
  api = await startApi({ calls: { outcomes: { 'no-answer': 1 } } });
  const retryConfig = { enabled: true, max_retries: 2, retry_intervals_minutes: [30] };
  const batchId = await api.createBatch(threeContacts, { retry_config: JSON.stringify(retryConfig) });
  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  api.clock.set(start + 5 * second);
  expect((await api.call('POST', `/batches/${batchId}/stop`)).status).toBe(200);

  const placed = await placedAt(t0 + 24 * 60 * minute);
  expect(placed.map((call) => [call.placedAtMs, call.attempt])).toEqual([
    [start, 0],
    [start + second, 0],
  ]);
});

test('an uncallable row and a call the wallet could not pay for are never logged', async () => {
  // The first call talks 60 s at 9 cents a minute: the 5 cents run out on it, the third call ends balance-low.
  api = await startApi({ calls: { outcomes: { completed: 1 } }, account: { walletCents: 5 } });
  const batchId = await api.createBatch('contact_number\n+919876543210\n98765 43210\n+14155550123\n');
  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');

  const placed = await placedAt(t0 + 24 * 60 * minute);
  expect((await api.executions(batchId)).map((execution) => execution.status)).toEqual([
    'completed',
    'failed',
    'balance-low',
  ]);
  expect(placed.map((call) => [call.toNumber, call.placedAtMs])).toEqual([['+919876543210', start]]);
});

test('calls of several batches come in order of placement, on Bolna’s clock (the offset included)', async () => {
  const offsetMs = 7 * second;
  api = await startApi({ calls: { outcomes: { completed: 1 } }, clockOffsetMs: offsetMs });
  const firstCreated = await api.createBatch('contact_number\n+919876543210\n');
  const secondCreated = await api.createBatch('contact_number\n+14155550123\n');
  await api.schedule(secondCreated, '2026-06-23T12:05:00+00:00');
  await api.schedule(firstCreated, '2026-06-23T12:15:00+00:00');

  // The test's clock lags Bolna's by the offset: Bolna placed the 12:10 call 7 s before the test's 12:10.
  expect(await placedAt(start - offsetMs - 1)).toEqual([]);
  const placed = await placedAt(t0 + 60 * minute);
  expect(placed.map((call) => [call.batchId, call.placedAtMs])).toEqual([
    [secondCreated, start],
    [firstCreated, start + 10 * minute],
  ]);
});
