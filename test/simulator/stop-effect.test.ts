import { startApi, t0, minute } from './helpers';
import type { SimulatorApi } from './helpers';

/**
 * `variants.stopEffect: 'connected-calls-finish'`: a stop ends only the calls not yet placed; calls already placed
 * (initiated, ringing, talking, in post-processing) run to their natural end on the simulator's clock, while the
 * batch reports `stopped` at once. (The default, `ends-calls`, is pinned down in stop-and-delete.test.ts.)
 */

const start = t0 + 10 * minute;
const second = 1_000;
const fiveRows = ['+919876543210', '+919812345678', '+14155550123', '+14155550124', '+14155550125'];

let api: SimulatorApi;
beforeEach(async () => {
  // One line, answered calls of 2 s dial + 10 s ring + 60 s talk, completed 150 s after the hang-up: calls are
  // placed at +0, +72, +144, +216 and +288 s.
  api = await startApi({
    calls: { concurrency: 1, outcomes: { completed: 1 } },
    variants: { stopEffect: 'connected-calls-finish' },
  });
});
afterEach(() => api.simulator.close());

async function scheduledBatch(rows: string[], scheduledAt = '2026-06-23T12:05:00+00:00'): Promise<string> {
  const batchId = await api.createBatch(`contact_number\n${rows.join('\n')}\n`);
  expect((await api.schedule(batchId, scheduledAt)).status).toBe(200);
  return batchId;
}

async function stopAt(batchId: string, atMs: number): Promise<void> {
  api.clock.set(atMs);
  const stopped = await api.call('POST', `/batches/${batchId}/stop`);
  expect([stopped.status, stopped.json]).toEqual([200, { message: 'success', state: 'stopped' }]);
}

async function statusesAt(batchId: string, atMs: number): Promise<string[]> {
  api.clock.set(atMs);
  return (await api.executions(batchId)).map((execution) => execution.status);
}

test('placed calls finish after the stop, the unplaced one is stopped, and the batch says stopped throughout', async () => {
  const batchId = await scheduledBatch(fiveRows);
  await stopAt(batchId, start + 230 * second);

  expect(await api.batch(batchId)).toMatchObject({
    status: 'stopped',
    execution_status: { completed: 1, 'call-disconnected': 2, 'in-progress': 1, stopped: 1 },
  });
  // Call 4 hangs up at +288 s; call 2's post-processing ends at +294 s, call 3's at +366 s, call 4's at +438 s.
  expect(await statusesAt(batchId, start + 290 * second)).toEqual([
    'completed',
    'call-disconnected',
    'call-disconnected',
    'call-disconnected',
    'stopped',
  ]);
  expect(await statusesAt(batchId, start + 294 * second)).toEqual([
    'completed',
    'completed',
    'call-disconnected',
    'call-disconnected',
    'stopped',
  ]);
  expect(await api.batch(batchId)).toMatchObject({
    status: 'stopped',
    execution_status: { completed: 2, 'call-disconnected': 2, stopped: 1 },
    updated_at: '2026-06-23T12:14:54+00:00',
  });

  api.clock.set(start + 438 * second);
  expect(await api.batch(batchId)).toMatchObject({
    status: 'stopped',
    execution_status: { completed: 4, stopped: 1 },
  });
  const executions = await api.executions(batchId);
  // The call that was talking at the stop talked its full minute and was charged for it.
  expect(executions[3]).toMatchObject({
    status: 'completed',
    conversation_duration: 60,
    total_cost: 9,
    telephony_data: { duration: '60' },
  });
  expect(executions[4]).toMatchObject({ status: 'stopped', telephony_data: null, conversation_duration: 0 });

  // Nothing is left to stop as far as Bolna's stop is concerned.
  const again = await api.call('POST', `/batches/${batchId}/stop`);
  expect([again.status, again.json]).toEqual([404, { message: 'Batch is not queued or running' }]);
});

test('a call still dialling or ringing at the stop rings on to its own end', async () => {
  api.simulator.settings.calls.outcomes = { completed: 0, 'no-answer': 1, busy: 0, failed: 0 };
  api.simulator.settings.calls.concurrency = 2;
  // Placed at +0 s and +1 s; the first rings from +2 s, the second is still dialling at +2.5 s.
  const batchId = await scheduledBatch(fiveRows.slice(0, 3));
  expect(await statusesAt(batchId, start + 2.5 * second)).toEqual(['ringing', 'initiated', 'queued']);
  await stopAt(batchId, start + 2.5 * second);
  expect(await statusesAt(batchId, start + 12 * second)).toEqual(['no-answer', 'ringing', 'stopped']);
  expect(await statusesAt(batchId, start + 13 * second)).toEqual(['no-answer', 'no-answer', 'stopped']);
  const [first] = await api.executions(batchId);
  expect(first?.telephony_data).toMatchObject({ ring_duration: 10, hangup_reason: 'No answer' });
});

test('the effect is fixed when the batch is stopped: changing the variant afterwards changes nothing', async () => {
  const batchId = await scheduledBatch(fiveRows.slice(0, 1));
  await stopAt(batchId, start + 20 * second);
  api.simulator.settings.variants.stopEffect = 'ends-calls';
  expect(await statusesAt(batchId, start + 30 * second)).toEqual(['in-progress']);
  expect(await statusesAt(batchId, start + 222 * second)).toEqual(['completed']);

  // And a batch stopped under `ends-calls` keeps that effect when the variant is switched back.
  const ended = await scheduledBatch(fiveRows.slice(0, 1), '2026-06-23T12:16:00+00:00');
  api.clock.set(start + 10 * minute + 20 * second);
  const stopped = await api.call('POST', `/batches/${ended}/stop`);
  expect(stopped.status).toBe(200);
  api.simulator.settings.variants.stopEffect = 'connected-calls-finish';
  expect(await statusesAt(ended, start + 60 * minute)).toEqual(['stopped']);
});

test('a batch stopped before its start places no call at all', async () => {
  const batchId = await scheduledBatch(fiveRows.slice(0, 2));
  await stopAt(batchId, start - 1);
  expect(await statusesAt(batchId, start + 60 * minute)).toEqual(['stopped', 'stopped']);
  expect((await api.executions(batchId)).every((execution) => execution.telephony_data === null)).toBe(true);
});
