import { agentId, apiKey, csvForm, like, minute, startApi, t0, threeContacts } from './helpers';
import type { SimulatorApi } from './helpers';

/** The request log: what the product really sent, for assertions like "exactly one create, no Z timestamps". */

let api: SimulatorApi;
beforeEach(async () => {
  api = await startApi();
});
afterEach(() => api.simulator.close());

test('each request is logged with the clock, method, path, query, status, fields, file and batch', async () => {
  const batchId = await api.createBatch(threeContacts, {
    from_phone_numbers: ['+14155550100'],
    retry_config: '{"enabled":false}',
  });
  api.clock.advance(minute);
  await api.schedule(batchId, '2026-06-23T12:05:00+00:00', { bypass_call_guardrails: 'false' });
  await api.call('GET', `/v2/agent/${agentId}/executions?batch_id=${batchId}&page_size=10`);
  await api.call('GET', `/batches/${'0'.repeat(32)}`);

  expect(api.simulator.requests).toEqual([
    {
      at: t0,
      method: 'POST',
      path: '/batches',
      query: {},
      status: 201,
      fields: { agent_id: agentId, from_phone_numbers: ['+14155550100'], retry_config: '{"enabled":false}' },
      file: { filename: 'contacts.csv', bytes: Buffer.byteLength(threeContacts) },
      batchId,
    },
    {
      at: t0 + minute,
      method: 'POST',
      path: `/batches/${batchId}/schedule`,
      query: {},
      status: 200,
      fields: { scheduled_at: '2026-06-23T12:05:00+00:00', bypass_call_guardrails: 'false' },
      batchId,
    },
    {
      at: t0 + minute,
      method: 'GET',
      path: `/v2/agent/${agentId}/executions`,
      query: { batch_id: batchId, page_size: '10' },
      status: 200,
    },
    {
      at: t0 + minute,
      method: 'GET',
      path: `/batches/${'0'.repeat(32)}`,
      query: {},
      status: 404,
      batchId: '0'.repeat(32),
      message: 'Batch not found',
    },
  ]);
});

test('refused requests are logged with why, and a test can check that no scheduled_at ended in Z', async () => {
  const batchId = await api.createBatch();
  await api.schedule(batchId, '2026-06-23T12:05:00Z');
  await api.schedule(batchId, '2026-06-23T12:01:00+00:00');
  const schedules = api.simulator.requests.filter((r) => r.path.endsWith('/schedule'));
  expect(schedules.map((r) => [r.status, r.message])).toEqual([
    [500, 'Internal Server Error'],
    [400, like.stringMatching(/at least 2 minutes/)],
  ]);
  expect(schedules.filter((r) => String(r.fields?.scheduled_at).endsWith('Z'))).toHaveLength(1);
});

test('the Authorization header, and so the key, is never logged, not even a wrong one', async () => {
  await api.createBatch();
  await api.call('GET', '/user/me', { auth: 'Bearer bn-wrong-key-777' });
  await api.call('POST', '/batches', { body: csvForm(threeContacts), auth: 'Bearer bn-wrong-key-888' });
  const log = JSON.stringify(api.simulator.requests);
  expect(log).not.toContain(apiKey);
  expect(log).not.toContain('bn-wrong-key');
  expect(log.toLowerCase()).not.toContain('authorization');
  expect(api.simulator.requests.map((r) => r.status)).toEqual([201, 403, 403]);
});

test('a request in flight is already logged, as pending', async () => {
  api.simulator.injectFault({ path: '/user/me', kind: 'latency', latencyMs: 200 });
  const answered = api.call('GET', '/user/me');
  while (api.simulator.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
  expect(api.simulator.requests[0]?.status).toBe('pending');
  expect((await answered).status).toBe(200);
  expect(api.simulator.requests[0]?.status).toBe(200);
});
