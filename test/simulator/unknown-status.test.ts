import { agentId, fieldsOf, minute, startApi, t0 } from './helpers';
import type { SimulatorApi } from './helpers';

/**
 * A batch status the product does not know (`variants.unknownBatchStatus`), and a batch object without any
 * status (`variants.statusField: 'none'`): the calls move on as always, only what the batch reports changes.
 * Durations are fixed (2 lines; answered calls done by +294 s), so every instant below is known.
 */

const start = t0 + 10 * minute;
const afterEveryCall = start + 60 * minute;
const notQueuedOrRunning = { message: 'Batch is not queued or running' };

let api: SimulatorApi;
afterEach(() => api.simulator.close());

async function scheduledBatch(): Promise<string> {
  const batchId = await api.createBatch();
  expect((await api.schedule(batchId, '2026-06-23T12:05:00+00:00')).status).toBe(200);
  return batchId;
}

async function listed(batchId: string): Promise<Record<string, unknown> | undefined> {
  const all = (await api.call('GET', `/batches/${agentId}/all`)).json as Record<string, unknown>[];
  return all.find((batch) => batch.batch_id === batchId);
}

function stop(batchId: string) {
  return api.call('POST', `/batches/${batchId}/stop`);
}

describe('unknownBatchStatus', () => {
  test('from its start the batch reports the unknown word, forever, while its calls run to the end', async () => {
    api = await startApi({
      calls: { outcomes: { completed: 1 } },
      variants: { unknownBatchStatus: 'paused', statusField: 'both', statusNames: 'spec' },
    });
    const batchId = await api.createBatch();
    expect(await api.batch(batchId)).toMatchObject({ status: 'created', state: 'created' });
    await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
    api.clock.set(start - 1);
    expect(await api.batch(batchId)).toMatchObject({ status: 'scheduled', state: 'scheduled' });

    api.clock.set(start);
    expect(await api.batch(batchId)).toMatchObject({
      status: 'paused',
      state: 'paused',
      execution_status: { initiated: 1, queued: 2 },
    });
    api.clock.set(afterEveryCall);
    expect(await api.batch(batchId)).toMatchObject({
      status: 'paused',
      state: 'paused',
      execution_status: { completed: 3 },
    });
    expect(await listed(batchId)).toMatchObject({ status: 'paused', state: 'paused' });
    api.clock.set(afterEveryCall + 24 * 60 * minute);
    expect((await api.batch(batchId)).status).toBe('paused');

    const rescheduled = await api.schedule(batchId, '2026-06-24T14:00:00+00:00');
    expect(rescheduled.status).toBe(400);
    expect(fieldsOf(rescheduled).message).toBe('The batch is paused and can no longer be scheduled');
  });

  test('a stop still works, even after every call is final, and the batch then reports stopped', async () => {
    api = await startApi({
      calls: { outcomes: { completed: 1 } },
      variants: { unknownBatchStatus: 'paused' },
    });
    const running = await scheduledBatch();
    const finished = await scheduledBatch();
    api.clock.set(start + 20_000);
    expect((await stop(running)).status).toBe(200);
    expect(await api.batch(running)).toMatchObject({ status: 'stopped', execution_status: { stopped: 3 } });

    api.clock.set(afterEveryCall);
    expect((await api.batch(finished)).status).toBe('paused');
    const stopped = await stop(finished);
    expect([stopped.status, stopped.json]).toEqual([200, { message: 'success', state: 'stopped' }]);
    expect(await api.batch(finished)).toMatchObject({
      status: 'stopped',
      execution_status: { completed: 3 },
    });
    expect(await stop(finished)).toMatchObject({ status: 404, json: notQueuedOrRunning });
  });

  test('a word the product knows is refused, so a test cannot silently simulate a known status', async () => {
    for (const word of ['completed', 'executed', 'running', 'stopped', 'failed', 'canceled', '']) {
      await expect(startApi({ variants: { unknownBatchStatus: word } })).rejects.toThrow(
        /unknownBatchStatus/,
      );
    }
  });
});

describe("statusField: 'none'", () => {
  test('no batch object carries a status, at any stage; the calls and counts still move on', async () => {
    api = await startApi({ calls: { outcomes: { completed: 1 } }, variants: { statusField: 'none' } });
    const batchId = await api.createBatch();
    const stages = [await api.batch(batchId)];
    await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
    stages.push(await api.batch(batchId));
    api.clock.set(start);
    stages.push(await api.batch(batchId));
    api.clock.set(afterEveryCall);
    stages.push(await api.batch(batchId), (await listed(batchId))!);
    for (const batch of stages) {
      expect(batch).not.toHaveProperty('status');
      expect(batch).not.toHaveProperty('state');
    }
    expect(stages.map((batch) => batch.execution_status)).toEqual([
      { prepared: 3 },
      { prepared: 3 },
      { initiated: 1, queued: 2 },
      { completed: 3 },
      { completed: 3 },
    ]);
    // The batch did finish at Bolna: there is nothing left to stop.
    expect(await stop(batchId)).toMatchObject({ status: 404, json: notQueuedOrRunning });
  });

  test('with an unknown status as well, the missing status never ends and a stop still works', async () => {
    api = await startApi({
      calls: { outcomes: { completed: 1 } },
      variants: { statusField: 'none', unknownBatchStatus: 'paused' },
    });
    const batchId = await scheduledBatch();
    api.clock.set(afterEveryCall);
    expect(await api.batch(batchId)).not.toHaveProperty('status');
    expect((await stop(batchId)).status).toBe(200);
    api.simulator.settings.variants.statusField = 'status';
    expect((await api.batch(batchId)).status).toBe('stopped');
  });
});
