import { agentId, fieldsOf, startApi } from './helpers';
import type { Execution, SimulatorApi } from './helpers';

/**
 * Variants of the executions listings (paged, executions left out, a required v2 window) and of the account
 * endpoint (missing, Bolna's spec's 401), each as a client sees it over HTTP.
 */

let api: SimulatorApi;
afterEach(() => api.simulator.close());

function contacts(count: number): string {
  const rows = Array.from({ length: count }, (_, i) => `+9198${String(i).padStart(8, '0')},P${i}`);
  return `contact_number,name\n${rows.join('\n')}\n`;
}

const names = (data: unknown) =>
  (data as Execution[]).map((execution) => execution.context_details.recipient_data.name);

test('paged executions: an unpaged request gets the first page with has_more; page_number/page_size are honoured', async () => {
  api = await startApi({ variants: { executionsEnvelope: 'paged', executionsPageSize: 4 } });
  const batchId = await api.createBatch(contacts(10));
  const list = async (query = '') => api.call('GET', `/batches/${batchId}/executions${query}`);

  const unpaged = fieldsOf(await list());
  expect(unpaged).toMatchObject({ has_more: true, page_number: 1, page_size: 4 });
  expect(names(unpaged.data)).toEqual(['P0', 'P1', 'P2', 'P3']);

  const third = fieldsOf(await list('?page_number=3&page_size=4'));
  expect(third).toMatchObject({ has_more: false, page_number: 3, page_size: 4 });
  expect(names(third.data)).toEqual(['P8', 'P9']);

  const whole = fieldsOf(await list('?page_number=1&page_size=50'));
  expect(whole).toMatchObject({ has_more: false });
  expect(names(whole.data)).toHaveLength(10);
  expect(fieldsOf(await list('?page_number=4&page_size=4'))).toMatchObject({ data: [], has_more: false });

  expect((await list('?page_size=51')).status).toBe(400);
  expect((await list('?page_number=0')).status).toBe(400);
});

test('executions left out of the batch listing silently are still in the agent’s v2 listing', async () => {
  api = await startApi({ variants: { omittedExecutions: { count: 3, from: 'batch-listing' } } });
  const batchId = await api.createBatch(contacts(8));
  expect(names(await api.executions(batchId))).toEqual(['P0', 'P1', 'P2', 'P3', 'P4']);
  const v2 = fieldsOf(
    await api.call('GET', `/v2/agent/${agentId}/executions?batch_id=${batchId}&page_size=50`),
  );
  expect(v2).toMatchObject({ total: 8, has_more: false });
  expect(names(v2.data)).toHaveLength(8);
});

test('executions left out of every listing are in neither', async () => {
  api = await startApi({ variants: { omittedExecutions: { count: 2, from: 'every-listing' } } });
  const batchId = await api.createBatch(contacts(5));
  expect(await api.executions(batchId)).toHaveLength(3);
  const v2 = fieldsOf(await api.call('GET', `/v2/agent/${agentId}/executions?batch_id=${batchId}`));
  expect(v2).toMatchObject({ total: 3 });
  // Newest first: the batch's last row is its newest execution.
  expect(names(v2.data)).toEqual(['P2', 'P1', 'P0']);
});

test('the v2 listing may insist on from and to', async () => {
  api = await startApi({ variants: { agentExecutionsWindow: 'required' } });
  await api.createBatch(contacts(2));
  const list = (query: string) => api.call('GET', `/v2/agent/${agentId}/executions?${query}`);
  expect((await list('')).status).toBe(400);
  expect((await list('from=2026-06-23T11:00:00Z')).status).toBe(400);
  expect((await list('to=2026-06-23T13:00:00Z')).status).toBe(400);
  const windowed = await list('from=2026-06-23T11:00:00Z&to=2026-06-23T13:00:00Z');
  expect([windowed.status, fieldsOf(windowed).total]).toEqual([200, 2]);
});

test('a missing account endpoint is a 404 like any unknown path, whatever the key', async () => {
  api = await startApi({ variants: { accountEndpoint: 'missing' } });
  for (const auth of [undefined, 'Bearer bn-wrong']) {
    const response = await api.call('GET', '/user/me', auth === undefined ? {} : { auth });
    expect([response.status, response.json]).toEqual([404, { detail: 'Not Found' }]);
  }
  expect((await api.call('GET', `/batches/${agentId}/all`)).status).toBe(200);
});

test('the account endpoint refuses a bad key with 403 {detail} by default, or 401 "Access denied" as in Bolna’s spec', async () => {
  api = await startApi();
  expect(await api.call('GET', '/user/me', { auth: 'Bearer bn-wrong' })).toMatchObject({
    status: 403,
    json: { detail: 'Invalid authentication credentials' },
  });
  api.simulator.settings.variants.accountKeyRefusal = '401';
  for (const auth of ['Bearer bn-wrong', null]) {
    expect(await api.call('GET', '/user/me', { auth })).toMatchObject({
      status: 401,
      json: { error: 401, message: 'Access denied' },
    });
  }
  expect((await api.call('GET', '/user/me')).status).toBe(200);
  // Elsewhere a bad key is still Bolna's 403.
  expect((await api.call('GET', `/batches/${agentId}/all`, { auth: 'Bearer bn-wrong' })).status).toBe(403);
});
