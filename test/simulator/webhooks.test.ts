import type { IncomingMessage } from 'node:http';
import type { SimulatorOptions } from '../../simulator/server';
import { serveOnLoopback } from '../support/loopback-server';
import type { LoopbackServer } from '../support/loopback-server';
import { waitFor } from '../support/wait-for';
import { minute, startApi, t0 } from './helpers';
import type { SimulatorApi } from './helpers';

/**
 * Bolna's batch webhook as the simulator sends it: the batch object, once the batch has finished processing and
 * again once every call is final, retried on a failed answer; variants lose some or deliver each twice. Only
 * loopback URLs are ever contacted.
 */

let api: SimulatorApi;
let receiver: LoopbackServer;
let received: { path: string; body: Record<string, unknown> }[];
let answerStatus: number;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return JSON.parse(text) as Record<string, unknown>;
}

beforeEach(async () => {
  received = [];
  answerStatus = 200;
  receiver = await serveOnLoopback((req, res) => {
    void readJson(req).then((body) => {
      received.push({ path: req.url ?? '', body });
      res.statusCode = answerStatus;
      res.end();
    });
  });
});

afterEach(async () => {
  await api?.simulator.close();
  await receiver.close();
});

/** A batch with a webhook to the test's receiver, scheduled, and the clock moved to `atMs` after its start. */
async function batchAt(options: SimulatorOptions, webhookUrl: string, afterStartMs: number): Promise<string> {
  api = await startApi({ calls: { outcomes: { completed: 1 } }, ...options });
  const batchId = await api.createBatch(undefined, { webhook_url: webhookUrl });
  expect((await api.schedule(batchId, '2026-06-23T12:05:00+00:00')).status).toBe(200);
  api.clock.set(t0 + 10 * minute + afterStartMs);
  return batchId;
}

const deliveries = () => api.simulator.webhookDeliveries;

test('the batch is POSTed when it has finished processing, and again when every call is final', async () => {
  const batchId = await batchAt(
    { variants: { executedReported: 'before-calls-final' } },
    `${receiver.url}/hooks/a`,
    4 * minute,
  );
  await waitFor('the first webhook', () => received.length === 1);
  expect(received[0]).toMatchObject({ path: '/hooks/a', body: { batch_id: batchId, status: 'completed' } });
  expect(received[0]!.body.execution_status).toHaveProperty('call-disconnected');
  api.clock.set(t0 + 30 * minute);
  await waitFor('the second webhook', () => received.length === 2);
  expect(received[1]!.body).toMatchObject({ batch_id: batchId, execution_status: { completed: 3 } });
  expect(deliveries().map((d) => [d.event, d.attempt, d.outcome])).toEqual([
    ['processed', 1, 200],
    ['executions-final', 1, 200],
  ]);
});

test('a failed answer is retried; the variant that delivers twice sends each webhook two times over', async () => {
  answerStatus = 500;
  await batchAt(
    { webhooks: { retries: 2, retryDelayMs: 10, delivery: 'twice' } },
    `${receiver.url}/hooks/b`,
    30 * minute,
  );
  await waitFor('3 tries of each copy', () => received.length === 2 * 2 * 3);
  expect(deliveries().every((d) => d.outcome === 500)).toBe(true);
  expect(deliveries().map((d) => d.attempt)).toEqual(expect.arrayContaining([1, 2, 3]));
});

test('the lossy variant sends nothing for a lost webhook; a URL off loopback is refused, never contacted', async () => {
  await batchAt({ webhooks: { lossRate: 1 } }, `${receiver.url}/hooks/c`, 30 * minute);
  await waitFor('both webhooks lost', () => deliveries().length === 2);
  expect(deliveries().map((d) => d.outcome)).toEqual(['lost', 'lost']);
  await api.simulator.close();

  await batchAt({}, 'https://hooks.example.com/bolna', 30 * minute);
  await waitFor('both webhooks refused', () => deliveries().length === 2);
  expect(deliveries().map((d) => d.outcome)).toEqual(['refused', 'refused']);
  expect(received).toEqual([]);
});
