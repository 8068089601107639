import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { startSimulator } from '../../simulator/server';
import type { RunningSimulator } from '../../simulator/server';
import { createActivities } from '../../src/activities';
import { BolnaClient } from '../../src/bolna/client';
import type { BolnaRequestRecord } from '../../src/bolna/client';
import {
  BolnaAuthError,
  BolnaBadRequestError,
  BolnaConnectionError,
  BolnaError,
  BolnaNotFoundError,
  BolnaProtocolError,
  BolnaRateLimitedError,
  BolnaServerError,
} from '../../src/bolna/errors';
import { failureOf, inActivity } from '../support/activity-context';
import { testActivityDeps } from '../support/activity-deps';
import { testAgentId as agentId, testApiKey as apiKey } from '../support/constants';
import { serveOnLoopback } from '../support/loopback-server';
import type { LoopbackServer } from '../support/loopback-server';
import { ManualClock } from '../support/manual-clock';

/** The client against the simulator over real HTTP on loopback: every endpoint and every error kind. */

const minute = 60_000;
const start = Date.parse('2026-06-23T11:55:00Z');

let simulator: RunningSimulator;
let clock: ManualClock;
let client: BolnaClient;
let dir: string;
let csvPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bolna-client-'));
  csvPath = join(dir, 'contacts.csv');
  await writeFile(csvPath, 'contact_number,name\n+919876543210,Asha\n+919812345678,Ravi\n');
});

beforeEach(async () => {
  clock = new ManualClock(start);
  simulator = await startSimulator({
    apiKey,
    clock,
    calls: { concurrency: 2, ringMs: 5_000, talkMs: 30_000, postProcessingMs: 120_000 },
  });
  client = new BolnaClient({ apiKey, baseUrl: simulator.url, headersTimeoutMs: 2_000 });
});

afterEach(async () => simulator.close());
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function failure(promise: Promise<unknown>): Promise<BolnaError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BolnaError) return error;
    throw error;
  }
  throw new Error('expected a BolnaError');
}

/** A CSV of `rows` contacts named P0, P1, ... */
async function csvOf(rows: number): Promise<string> {
  const path = join(dir, `contacts-${rows}.csv`);
  const lines = Array.from({ length: rows }, (_, i) => `+9198${String(i).padStart(8, '0')},P${i}`);
  await writeFile(path, `contact_number,name\n${lines.join('\n')}\n`);
  return path;
}

async function createdBatch(): Promise<string> {
  return (await client.createBatch({ agentId, csvPath, fileName: 'campaign-x-1234abcd.csv' })).batch_id;
}

test('create uploads the CSV as multipart with every optional field', async () => {
  const created = await client.createBatch({
    agentId,
    csvPath,
    fileName: 'campaign-x-1234abcd.csv',
    fromPhoneNumbers: ['+14155550100', '+14155550101'],
    retryConfig: { enabled: true, max_retries: 2 },
    webhookUrl: 'https://example.com/hook',
  });
  expect(created.batch_id).toMatch(/^[0-9a-f]{32}$/);
  expect(created.status).toBe('created');
  const logged = simulator.requests.find((r) => r.method === 'POST' && r.path === '/batches')!;
  expect(logged.fields).toMatchObject({
    agent_id: agentId,
    from_phone_numbers: ['+14155550100', '+14155550101'],
    retry_config: '{"enabled":true,"max_retries":2}',
    webhook_url: 'https://example.com/hook',
  });
  const batch = await client.getBatch(created.batch_id);
  expect(batch).toMatchObject({ status: 'created', file_name: 'campaign-x-1234abcd.csv', total_contacts: 2 });
  expect((await client.listAgentBatches(agentId)).map((b) => b.batch_id)).toContain(created.batch_id);
});

test('schedule sends a numeric offset and learns the rounded start', async () => {
  const batchId = await createdBatch();
  await client.scheduleBatch(batchId, { scheduledAt: new Date(start + 3 * minute) });
  const sent = String(simulator.requests.find((r) => r.path.endsWith('/schedule'))!.fields?.scheduled_at);
  expect(sent).toBe('2026-06-23T11:58:00+00:00');
  const batch = await client.getBatch(batchId);
  expect(batch.status).toBe('scheduled');
  expect(Date.parse(batch.scheduled_at!)).toBe(Date.parse('2026-06-23T12:00:00Z'));
});

test("a Z timestamp handed to the client is converted, so Bolna's 500 is never triggered", async () => {
  const batchId = await createdBatch();
  await client.scheduleBatch(batchId, { scheduledAt: '2026-06-23T11:59:00Z' });
  const sent = String(simulator.requests.find((r) => r.path.endsWith('/schedule'))!.fields?.scheduled_at);
  expect(sent).toBe('2026-06-23T11:59:00+00:00');
});

test('a start less than the lead ahead is a BolnaBadRequestError with the method, path, status and message', async () => {
  const batchId = await createdBatch();
  const error = await failure(client.scheduleBatch(batchId, { scheduledAt: new Date(start + minute) }));
  expect(error).toBeInstanceOf(BolnaBadRequestError);
  expect(error.retryable).toBe(false);
  expect(error.message).toContain(`POST /batches/${batchId}/schedule → 400`);
  expect(error.bolnaMessage).toBeTruthy();
});

test('a batch runs to completion and its executions stream one by one', async () => {
  const batchId = await createdBatch();
  await client.scheduleBatch(batchId, { scheduledAt: new Date(start + 3 * minute) });
  clock.advance(60 * minute);
  const batch = await client.getBatch(batchId);
  expect(batch.status).toBe('completed');
  const executions = [];
  for await (const execution of client.streamExecutions(batchId)) executions.push(execution);
  expect(executions).toHaveLength(2);
  expect(executions.map((e) => e.context_details?.recipient_data?.name).sort()).toEqual(['Asha', 'Ravi']);
  const page = await client.getExecutionPage(agentId, { batchId, pageNumber: 1, pageSize: 50 });
  expect(page.total).toBe(2);
});

test('documented variants are all understood', async () => {
  Object.assign(simulator.settings.variants, {
    createStatus: 200,
    scheduleStatus: 202,
    scheduleStateForm: 'with-time',
    statusField: 'state',
    executionsEnvelope: 'data',
  });
  const batchId = await createdBatch();
  const scheduled = await client.scheduleBatch(batchId, { scheduledAt: new Date(start + 3 * minute) });
  expect(Date.parse(scheduled.startsAt!)).toBe(Date.parse('2026-06-23T12:00:00Z'));
  expect((await client.getBatch(batchId)).status).toBe('scheduled');
  clock.advance(60 * minute);
  let count = 0;
  for await (const execution of client.streamExecutions(batchId)) count += execution.id ? 1 : 0;
  expect(count).toBe(2);
});

test('executions Bolna pages ({data, has_more}) are followed with page_number/page_size to the last one', async () => {
  const batchId = (await client.createBatch({ agentId, csvPath: await csvOf(47), fileName: 'paged.csv' }))
    .batch_id;
  Object.assign(simulator.settings.variants, { executionsEnvelope: 'paged', executionsPageSize: 20 });
  const names: unknown[] = [];
  for await (const execution of client.streamExecutions(batchId)) {
    names.push(execution.context_details?.recipient_data?.name);
  }
  expect(names).toEqual(Array.from({ length: 47 }, (_, i) => `P${i}`));
  const downloads = simulator.requests.filter((r) => r.path === `/batches/${batchId}/executions`);
  expect(downloads.map((r) => r.query)).toEqual([
    {},
    { page_number: '2', page_size: '20' },
    { page_number: '3', page_size: '20' },
  ]);
});

test("the agent's v2 listing is read page after page, 50 at a time, within the window asked for", async () => {
  const batchId = (await client.createBatch({ agentId, csvPath: await csvOf(120), fileName: 'v2.csv' }))
    .batch_id;
  simulator.settings.variants.agentExecutionsWindow = 'required';
  const from = new Date(start - 60 * minute);
  const to = new Date(start + 60 * minute);
  const names: unknown[] = [];
  for await (const execution of client.streamAgentExecutions(agentId, { batchId, from, to })) {
    names.push(execution.context_details?.recipient_data?.name);
  }
  // Newest first, as Bolna lists them.
  expect(names).toEqual(Array.from({ length: 120 }, (_, i) => `P${119 - i}`));
  const pages = simulator.requests.filter((r) => r.path === `/v2/agent/${agentId}/executions`);
  expect(pages.map((r) => [r.query.page_number, r.query.page_size, r.status])).toEqual([
    ['1', '50', 200],
    ['2', '50', 200],
    ['3', '50', 200],
  ]);
  expect(pages[0]!.query).toMatchObject({
    batch_id: batchId,
    from: '2026-06-23T10:55:00+00:00',
    to: '2026-06-23T12:55:00+00:00',
  });
});

test('unknown fields are kept, not rejected', async () => {
  const batchId = await createdBatch();
  const batch = await client.getBatch(batchId);
  const documented = new Set(['batch_id', 'status', 'state', 'scheduled_at', 'created_at', 'updated_at']);
  expect(Object.keys(batch).some((key) => !documented.has(key))).toBe(true);
});

test('stop is idempotent: the documented 404 on a finished batch means nothing left to stop', async () => {
  const batchId = await createdBatch();
  await client.scheduleBatch(batchId, { scheduledAt: new Date(start + 3 * minute) });
  expect(await client.stopBatch(batchId)).toEqual({ stopped: true, message: 'success' });
  expect((await client.stopBatch(batchId)).stopped).toBe(false);
});

test('delete, then the batch is not found', async () => {
  const batchId = await createdBatch();
  expect((await client.deleteBatch(batchId)).state).toBe('deleted');
  expect(await failure(client.getBatch(batchId))).toBeInstanceOf(BolnaNotFoundError);
});

test('account', async () => {
  const account = await client.getAccount();
  expect(account.id).toBeTruthy();
  expect(typeof account.wallet).toBe('number');
});

test('a wrong key is a BolnaAuthError that never shows either key', async () => {
  const wrong = new BolnaClient({ apiKey: 'bn-wrong-key-123', baseUrl: simulator.url });
  const error = await failure(wrong.getAccount());
  expect(error).toBeInstanceOf(BolnaAuthError);
  expect(error.status).toBe(403);
  expect(`${error.message} ${error.stack}`).not.toContain('bn-wrong-key-123');
  expect(JSON.stringify(simulator.requests)).not.toContain('bn-wrong-key-123');
});

test('429 is BolnaRateLimitedError with Retry-After in seconds or as an HTTP date', async () => {
  simulator.injectFault({ path: '/user/me', kind: 'rate-limit', times: 1, retryAfterSeconds: 7 });
  const error = await failure(client.getAccount());
  expect(error).toBeInstanceOf(BolnaRateLimitedError);
  expect((error as BolnaRateLimitedError).retryAfterMs).toBe(7000);
  expect(error.retryable).toBe(true);
});

test('5xx is a retryable BolnaServerError', async () => {
  simulator.injectFault({ path: '/user/me', kind: 'server-error', times: 1, status: 503 });
  const error = await failure(client.getAccount());
  expect(error).toBeInstanceOf(BolnaServerError);
  expect(error.status).toBe(503);
  expect(error.retryable).toBe(true);
});

test('a dropped connection, a lost response and a refused port are BolnaConnectionErrors', async () => {
  simulator.injectFault({ path: '/user/me', kind: 'drop', times: 1 });
  expect(await failure(client.getAccount())).toBeInstanceOf(BolnaConnectionError);

  simulator.injectFault({ method: 'POST', path: '/batches', kind: 'lost-response', times: 1 });
  expect(await failure(createdBatch())).toBeInstanceOf(BolnaConnectionError);
  expect(
    (await client.listAgentBatches(agentId)).some((b) => b.file_name === 'campaign-x-1234abcd.csv'),
  ).toBe(true);

  const closed = new BolnaClient({ apiKey, baseUrl: 'http://127.0.0.1:9' });
  expect(await failure(closed.getAccount())).toBeInstanceOf(BolnaConnectionError);
});

test('a slow answer times out as a BolnaConnectionError', async () => {
  simulator.injectFault({ path: '/user/me', kind: 'latency', times: 1, latencyMs: 4_000 });
  const error = await failure(client.getAccount());
  expect(error).toBeInstanceOf(BolnaConnectionError);
  expect(error.message).toMatch(/timed out/);
});

test('onRequest hears of every request: the route without ids, the status or none, the time to the answer', async () => {
  const heard: BolnaRequestRecord[] = [];
  const observed = new BolnaClient({ apiKey, baseUrl: simulator.url, onRequest: (r) => heard.push(r) });
  const { batch_id: batchId } = await observed.createBatch({ agentId, csvPath });
  simulator.injectFault({ path: `/batches/${batchId}`, kind: 'latency', times: 1, latencyMs: 300 });
  await observed.getBatch(batchId);
  for await (const execution of observed.streamExecutions(batchId)) expect(execution).toBeDefined();
  await failure(observed.getBatch('no-such-batch'));
  simulator.injectFault({ path: '/user/me', kind: 'drop', times: 1 });
  await failure(observed.getAccount());
  expect(heard.map(({ endpoint, status }) => [endpoint, status])).toEqual([
    ['POST /batches', 201],
    ['GET /batches/{batch_id}', 200],
    ['GET /batches/{batch_id}/executions', 200],
    ['GET /batches/{batch_id}', 404],
    ['GET /user/me', undefined],
  ]);
  expect(heard[1]!.durationMs).toBeGreaterThanOrEqual(300);
  expect(heard[0]!.durationMs).toBeGreaterThan(0);
  expect(JSON.stringify(heard)).not.toMatch(new RegExp(`${batchId}|no-such-batch|${apiKey}`));
});

test('an observer that throws fails no request: Bolna may already have acted on it', async () => {
  const observed = new BolnaClient({
    apiKey,
    baseUrl: simulator.url,
    onRequest: () => {
      throw new Error('metrics are down');
    },
  });
  const { batch_id: batchId } = await observed.createBatch({ agentId, csvPath });
  expect(simulator.batches.find(batchId)).toBeDefined();
  expect(await failure(observed.getBatch('no-such-batch'))).toBeInstanceOf(BolnaNotFoundError);
});

describe('responses that break the documented contract', () => {
  let server: LoopbackServer;
  let body = '';
  let url = '';
  beforeAll(async () => {
    server = await serveOnLoopback((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(body),
    );
    url = server.url;
  });
  afterAll(async () => server.close());

  test('non-JSON and schema violations are BolnaProtocolErrors', async () => {
    const odd = new BolnaClient({ apiKey, baseUrl: url });
    body = '<html>gateway</html>';
    expect(await failure(odd.getBatch('abc'))).toBeInstanceOf(BolnaProtocolError);
    body = '{"status":"running"}';
    expect(await failure(odd.getBatch('abc'))).toBeInstanceOf(BolnaProtocolError);
    body = '[{"id":"a","status":"completed"},{"status":"completed"}]';
    const streamed: string[] = [];
    const error = await failure(
      (async () => {
        for await (const execution of odd.streamExecutions('abc')) streamed.push(execution.id);
      })(),
    );
    expect(error).toBeInstanceOf(BolnaProtocolError);
    expect(error.message).toContain('execution #1');
    expect(streamed).toEqual(['a']);
  });
});

describe('a Bolna-like server on loopback, scripted answer by answer', () => {
  interface Answer {
    status?: number;
    headers?: OutgoingHttpHeaders;
    body: string;
  }
  let server: LoopbackServer;
  let url = '';
  let answer: (req: IncomingMessage) => Answer = () => ({ body: '{}' });
  const seen: string[] = [];
  beforeAll(async () => {
    server = await serveOnLoopback((req, res) => {
      seen.push(req.url ?? '');
      const { status = 200, headers = {}, body } = answer(req);
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
    });
    url = server.url;
  });
  beforeEach(() => (seen.length = 0));
  afterAll(async () => server.close());

  const execution = (id: unknown) => JSON.stringify({ id, status: 'completed' });
  async function streamedIds(bolna: BolnaClient): Promise<string[]> {
    const ids: string[] = [];
    for await (const item of bolna.streamExecutions('abc')) ids.push(item.id);
    return ids;
  }

  test('a key Bolna echoes across the 500-character cut is redacted first: no piece of it survives', async () => {
    const bolna = new BolnaClient({ apiKey, baseUrl: url });
    const pieces = Array.from({ length: apiKey.length - 5 }, (_, i) => apiKey.slice(i, i + 6));
    // The message reads `400: <filler> Bearer <key> …`, so the key spans character 500 for each filler length.
    for (const filler of [460, 470, 480, 487]) {
      const message = `${'x'.repeat(filler)} Bearer ${apiKey} and more ${'y'.repeat(100)}`;
      for (const body of [JSON.stringify({ error: 400, message }), message]) {
        answer = () => ({ status: 400, body });
        const error = await failure(bolna.getBatch('abc'));
        expect(error).toBeInstanceOf(BolnaBadRequestError);
        const shown = `${error.message}\n${error.bolnaMessage ?? ''}\n${error.stack ?? ''}`;
        expect(pieces.filter((piece) => shown.includes(piece))).toEqual([]);
        expect(error.bolnaMessage).toContain('x'.repeat(50));
        expect(error.bolnaMessage!.length).toBeLessThanOrEqual(501);
      }
    }
  });

  test("Bolna's clock is read from each response's Date header, errors included; a bad header is ignored", async () => {
    const bolna = new BolnaClient({ apiKey, baseUrl: url });
    expect(bolna.lastServerDateMs).toBeUndefined();
    answer = () => ({ headers: { date: 'Tue, 23 Jun 2026 12:00:05 GMT' }, body: '{"batch_id":"abc"}' });
    await bolna.getBatch('abc');
    expect(bolna.lastServerDateMs).toBe(Date.parse('2026-06-23T12:00:05Z'));
    answer = () => ({ status: 400, headers: { date: 'Tue, 23 Jun 2026 12:01:10 GMT' }, body: '{}' });
    await failure(bolna.getBatch('abc'));
    expect(bolna.lastServerDateMs).toBe(Date.parse('2026-06-23T12:01:10Z'));
    answer = () => ({ headers: { date: 'soon' }, body: '{"batch_id":"abc"}' });
    await bolna.getBatch('abc');
    expect(bolna.lastServerDateMs).toBe(Date.parse('2026-06-23T12:01:10Z'));
  });

  test('execution ids given as integers are accepted, as strings', async () => {
    answer = () => ({ body: `[${execution(7)},${execution('b2f1')}]` });
    expect(await streamedIds(new BolnaClient({ apiKey, baseUrl: url }))).toEqual(['7', 'b2f1']);
  });

  test('paging metadata is read wherever it stands, and a full page of unstated size sets the page size', async () => {
    answer = (req) => {
      const page = Number(new URL(req.url ?? '', url).searchParams.get('page_number') ?? 1);
      const ids = [2 * page - 1, 2 * page].filter((id) => id <= 5);
      const data = `[${ids.map(execution).join(',')}]`;
      // Metadata first on page 1 (and no page_size), after the data on the others.
      return {
        body:
          page === 1
            ? `{"has_more":true,"page_number":1,"data":${data}}`
            : `{"data":${data},"has_more":${page < 3},"page_number":${page}}`,
      };
    };
    expect(await streamedIds(new BolnaClient({ apiKey, baseUrl: url }))).toEqual(['1', '2', '3', '4', '5']);
    expect(seen).toEqual([
      '/batches/abc/executions',
      '/batches/abc/executions?page_number=2&page_size=2',
      '/batches/abc/executions?page_number=3&page_size=2',
    ]);
  });

  test('a server that ignores page_number and always says has_more ends the listing instead of looping', async () => {
    answer = () => ({ body: `{"data":[${execution('a')},${execution('b')}],"has_more":true}` });
    expect(await streamedIds(new BolnaClient({ apiKey, baseUrl: url }))).toEqual(['a', 'b', 'a', 'b']);
    expect(seen).toHaveLength(2);
    answer = () => ({ body: '{"data":[],"has_more":true}' });
    expect(await streamedIds(new BolnaClient({ apiKey, baseUrl: url }))).toEqual([]);
    expect(seen).toHaveLength(3);
  });
});

describe("Bolna's spec where it is clear, and its readings where it is not", () => {
  test('schedule sends batch_id in the body too, so a spec-strict Bolna accepts it', async () => {
    simulator.settings.variants.scheduleBatchIdField = 'required';
    const { batch_id: batchId } = await client.createBatch({ agentId, csvPath, fileName: 'c.csv' });
    await client.scheduleBatch(batchId, { scheduledAt: new Date(start + 5 * 60_000) });
    const schedule = simulator.requests.find((r) => r.path === `/batches/${batchId}/schedule`);
    expect(schedule).toMatchObject({ status: 200, fields: { batch_id: batchId } });
  });

  test('an integer error code (the status again) is not repeated as Bolna’s message', async () => {
    const { batch_id: batchId } = await client.createBatch({ agentId, csvPath, fileName: 'c.csv' });
    const error = await failure(client.scheduleBatch(batchId, { scheduledAt: new Date(start + 60_000) }));
    expect(error).toBeInstanceOf(BolnaBadRequestError);
    expect(error.bolnaMessage).toBe('scheduled_at must be at least 2 minutes in the future');
    expect(error.message).toMatch(/→ 400\): scheduled_at must be/);
  });

  test('a 429 without Retry-After is a retryable failure with no delay of its own: Temporal’s backoff applies', async () => {
    simulator.settings.variants.retryAfterHeader = 'omitted';
    simulator.injectFault({ path: /^\/batches\//, kind: 'rate-limit', retryAfterSeconds: 30 });
    const { batch_id: batchId } = await client.createBatch({ agentId, csvPath, fileName: 'c.csv' });
    const direct = await failure(client.getBatch(batchId));
    expect(direct).toBeInstanceOf(BolnaRateLimitedError);
    expect((direct as BolnaRateLimitedError).retryAfterMs).toBeUndefined();

    simulator.injectFault({ path: /^\/batches\//, kind: 'rate-limit', retryAfterSeconds: 30 });
    const { getBatch } = createActivities(testActivityDeps({ bolna: client, clock, resultsDir: dir }));
    const viaActivity = await failureOf(inActivity(getBatch, {}, batchId));
    expect(viaActivity).toBeInstanceOf(ApplicationFailure);
    expect(viaActivity).toMatchObject({ type: 'BolnaRateLimitedError', nonRetryable: false });
    expect(viaActivity.nextRetryDelay).toBeUndefined();
    expect(simulator.requests.filter((r) => r.status === 429).map((r) => r.retryAfterSeconds)).toStrictEqual([
      undefined,
      undefined,
    ]);
  });
});
