import { agentId, fieldsOf, minute, startApi, t0 } from './helpers';
import type { SimulatorApi } from './helpers';

/**
 * Stop: a scheduled or running batch stops, unfinished calls end `stopped`, finished ones keep their result;
 * anything else is the documented 404 "Batch is not queued or running". Delete: a 404 everywhere afterwards.
 */

const start = t0 + 10 * minute;
const notQueuedOrRunning = { message: 'Batch is not queued or running' };

let api: SimulatorApi;
beforeEach(async () => {
  // One line, answered calls of 2 s dial + 10 s ring + 60 s talk, completed 150 s later.
  api = await startApi({ calls: { concurrency: 1, outcomes: { completed: 1 } } });
});
afterEach(() => api.simulator.close());

function stop(batchId: string) {
  return api.call('POST', `/batches/${batchId}/stop`);
}

test('a created batch has nothing to stop: the documented 404', async () => {
  const batchId = await api.createBatch();
  const response = await stop(batchId);
  expect(response.status).toBe(404);
  expect(response.json).toEqual(notQueuedOrRunning);
  expect((await api.batch(batchId)).status).toBe('created');
});

test('a running batch stops: finished calls keep their result, unfinished ones end stopped, a second stop is 404', async () => {
  const rows = ['+919876543210', '+919812345678', '+14155550123', '+14155550124', '+14155550125'];
  const batchId = await api.createBatch(`contact_number\n${rows.join('\n')}\n`);
  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  // The line is free at each hang-up: calls are placed at +0, +72, +144, +216 and +288 s; call 1 completes
  // at +222 s (after 150 s of post-processing) and call 4, answered at +228 s, is talking.
  api.clock.set(start + 230_000);
  expect((await api.executions(batchId)).map((e) => e.status)).toEqual([
    'completed',
    'call-disconnected',
    'call-disconnected',
    'in-progress',
    'queued',
  ]);
  const stopped = await stop(batchId);
  expect(stopped.status).toBe(200);
  expect(stopped.json).toEqual({ message: 'success', state: 'stopped' });

  api.clock.set(start + 60 * minute);
  expect(await api.batch(batchId)).toMatchObject({
    status: 'stopped',
    execution_status: { completed: 1, stopped: 4 },
  });
  const [done, disconnected, , talking, queued] = await api.executions(batchId);
  expect(done).toMatchObject({ status: 'completed', conversation_duration: 60, total_cost: 9 });
  expect(disconnected).toMatchObject({ status: 'stopped', conversation_duration: 60 });
  expect(talking).toMatchObject({
    status: 'stopped',
    conversation_duration: 2,
    telephony_data: { duration: '2' },
  });
  expect(queued).toMatchObject({ status: 'stopped', telephony_data: null, conversation_duration: 0 });

  const again = await stop(batchId);
  expect(again.status).toBe(404);
  expect(again.json).toEqual(notQueuedOrRunning);
});

test('a call in post-processing when the batch stops ends stopped too', async () => {
  const batchId = await api.createBatch('contact_number\n+919876543210\n');
  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  api.clock.set(start + 100_000);
  expect((await api.executions(batchId))[0]?.status).toBe('call-disconnected');
  expect((await stop(batchId)).status).toBe(200);
  api.clock.set(start + 60 * minute);
  expect((await api.executions(batchId))[0]).toMatchObject({ status: 'stopped', conversation_duration: 60 });
});

test('a scheduled batch stops before anyone is called', async () => {
  const batchId = await api.createBatch();
  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  expect((await stop(batchId)).status).toBe(200);
  api.clock.set(start + 60 * minute);
  expect(await api.batch(batchId)).toMatchObject({ status: 'stopped', execution_status: { stopped: 3 } });
  expect((await api.executions(batchId)).every((e) => e.telephony_data === null)).toBe(true);
});

test('variant: where stop does not cover a batch waiting for its start, it is the 404 and the batch still runs', async () => {
  api.simulator.settings.variants.stopWhileScheduled = 'not-found';
  const batchId = await api.createBatch();
  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  const response = await stop(batchId);
  expect(response.status).toBe(404);
  expect(response.json).toEqual(notQueuedOrRunning);
  api.clock.set(start + 1);
  expect((await api.batch(batchId)).status).toBe('running');
  expect((await stop(batchId)).status).toBe(200);
});

test('a completed batch has nothing to stop: the documented 404, and its results stay', async () => {
  const batchId = await api.createBatch();
  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  api.clock.set(start + 60 * minute);
  expect((await api.batch(batchId)).status).toBe('completed');
  const response = await stop(batchId);
  expect(response.status).toBe(404);
  expect(response.json).toEqual(notQueuedOrRunning);
  expect(await api.batch(batchId)).toMatchObject({ status: 'completed', execution_status: { completed: 3 } });
});

test('stopping an unknown batch is a 404 too', async () => {
  const response = await stop('0'.repeat(32));
  expect(response.status).toBe(404);
  expect(fieldsOf(response).message).toBe('Batch not found');
});

test('delete answers success, then the batch is a 404 everywhere and gone from every list', async () => {
  const batchId = await api.createBatch();
  const kept = await api.createBatch();
  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  const deleted = await api.call('DELETE', `/batches/${batchId}`);
  expect(deleted.status).toBe(200);
  expect(deleted.json).toEqual({ message: 'success', state: 'deleted' });

  expect((await api.call('GET', `/batches/${batchId}`)).status).toBe(404);
  expect((await api.call('GET', `/batches/${batchId}/executions`)).status).toBe(404);
  expect((await stop(batchId)).status).toBe(404);
  expect((await api.schedule(batchId, '2026-06-23T12:15:00+00:00')).status).toBe(404);
  expect((await api.call('DELETE', `/batches/${batchId}`)).status).toBe(404);
  const all = (await api.call('GET', `/batches/${agentId}/all`)).json as { batch_id: string }[];
  expect(all.map((batch) => batch.batch_id)).toEqual([kept]);
  const page = fieldsOf(await api.call('GET', `/v2/agent/${agentId}/executions?page_size=50`));
  expect(page.total).toBe(3);
  expect(api.simulator.batches.find(batchId)).toBeUndefined();
  expect(api.simulator.batches.size).toBe(2);
});
