import type { LogLevel, LogMetadata } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import { buildWebhookReceiver } from '../../src/webhooks/server';
import type { SignalOutcome } from '../../src/webhooks/server';
import { webhookToken, webhookUrl } from '../../src/webhooks/token';
import type { BolnaWebhookReport } from '../../src/workflows/definitions';

/**
 * The receiver on its own, on loopback (Fastify's inject needs an ES module jest cannot load): which requests reach a campaign as a signal and
 * how each other one is answered. The signal goes to a recorder here; test/e2e/webhooks.test.ts sends real ones.
 */

const secret = 'webhook-secret-for-tests-0123456789abcdef';
const workflowId = 'campaign-december reminders';
const token = webhookToken(secret, workflowId);
const path = new URL(webhookUrl('https://hooks.example.com/base', secret, workflowId)).pathname.replace(
  /^\/base/,
  '',
);
const batch = {
  batch_id: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6',
  status: 'completed',
  execution_status: { completed: 2, 'no-answer': 1 },
  webhook_url: `https://hooks.example.com${path}`,
};

let signals: { workflowId: string; report: BolnaWebhookReport }[];
let logLines: string[];
let outcome: () => Promise<SignalOutcome>;
let app: FastifyInstance;
let baseUrl: string;

beforeEach(async () => {
  signals = [];
  logLines = [];
  outcome = () => Promise.resolve('signalled');
  const record = (level: LogLevel) => (message: string, meta?: LogMetadata) =>
    void logLines.push(`${level} ${message} ${JSON.stringify(meta ?? {})}`);
  app = buildWebhookReceiver({
    secret,
    signal: (id, report) => {
      signals.push({ workflowId: id, report });
      return outcome();
    },
    logger: {
      log: (level, message, meta) => record(level)(message, meta),
      trace: record('TRACE'),
      debug: record('DEBUG'),
      info: record('INFO'),
      warn: record('WARN'),
      error: record('ERROR'),
    },
    bodyLimitBytes: 4096,
  });
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterEach(async () => {
  await app.close();
});

async function send(method: 'GET' | 'POST', url: string, body?: string) {
  const answer = await request(baseUrl + url, {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
  });
  return { statusCode: answer.statusCode, body: await answer.body.text() };
}

const post = (url: string, payload: unknown) => send('POST', url, JSON.stringify(payload));

test('the URL a worker builds reaches the receiver: the campaign is signalled with the batch, 202', async () => {
  expect(path).toBe(`/bolna/batches/campaign-december%20reminders/${token}`);
  const answer = await post(path, batch);
  expect(answer.statusCode).toBe(202);
  expect(signals).toEqual([
    {
      workflowId,
      report: { batchId: batch.batch_id, status: 'completed', counts: { completed: 2, 'no-answer': 1 } },
    },
  ]);
});

test('a wrong token, or the token of another campaign, is a 404 like an unknown path, and signals nothing', async () => {
  const unknownPath = await post('/bolna/nothing-here', batch);
  const wrongToken = await post(`/bolna/batches/${encodeURIComponent(workflowId)}/${'A'.repeat(43)}`, batch);
  const otherCampaigns = await post(`/bolna/batches/campaign-other/${token}`, batch);
  const shortToken = await post(`/bolna/batches/${encodeURIComponent(workflowId)}/${token.slice(1)}`, batch);
  for (const answer of [wrongToken, otherCampaigns, shortToken]) {
    expect(answer.statusCode).toBe(404);
    expect(answer.body).toBe(unknownPath.body);
  }
  expect(signals).toEqual([]);
});

test('a body over the limit is refused (413) before it is read whole; a body that is no batch is a 400', async () => {
  const tooLarge = await post(path, { ...batch, padding: 'x'.repeat(5000) });
  expect(tooLarge.statusCode).toBe(413);
  const noBatch = await post(path, { status: 'completed' });
  expect(noBatch.statusCode).toBe(400);
  const notJson = await send('POST', path, '{"batch_id":');
  expect(notJson.statusCode).toBe(400);
  expect(signals).toEqual([]);
});

test('Bolna is told to retry (503) when the campaign cannot be signalled, and not to (200) when it has ended', async () => {
  outcome = () => Promise.reject(new Error('Temporal is unavailable'));
  expect((await post(path, batch)).statusCode).toBe(503);
  outcome = () => Promise.resolve('gone');
  expect((await post(path, batch)).statusCode).toBe(200);
});

test('a replayed webhook is passed on as it came: the campaign, not the receiver, decides it changes nothing', async () => {
  await post(path, batch);
  await post(path, batch);
  expect(signals).toHaveLength(2);
  expect(signals[1]).toEqual(signals[0]);
});

test('no log line carries the token or the body; health answers without one', async () => {
  await post(path, batch);
  await post(`/bolna/batches/${encodeURIComponent(workflowId)}/${'A'.repeat(43)}`, batch);
  outcome = () => Promise.reject(new Error('Temporal is unavailable'));
  await post(path, batch);
  expect(JSON.parse((await send('GET', '/healthz')).body)).toEqual({ status: 'ok' });
  expect(logLines.length).toBeGreaterThanOrEqual(4);
  for (const line of logLines) {
    expect(line).not.toContain(token);
    expect(line).not.toContain(batch.batch_id);
  }
  expect(logLines.join('\n')).toContain('/bolna/batches/:workflowId/:token');
});
