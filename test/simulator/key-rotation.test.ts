import {
  agentId,
  apiKey,
  csvForm,
  fieldsOf,
  form,
  like,
  minute,
  startApi,
  t0,
  threeContacts,
} from './helpers';
import type { SimulatorApi } from './helpers';

/**
 * `setApiKey`: the account's key revoked or rotated while the simulator runs. From then on the old key gets
 * Bolna's 403 `{detail}` everywhere and changes nothing, while the new key sees the same organisation: its
 * batches and its rate-limit allowance.
 */

const newKey = 'bn-rotated-key-0002';

let api: SimulatorApi;
afterEach(() => api.simulator.close());

test('after a rotation the old key is refused on every batch endpoint and changes nothing; the new key sees the old batches', async () => {
  api = await startApi({ calls: { outcomes: { completed: 1 } } });
  const batchId = await api.createBatch();
  expect((await api.schedule(batchId, '2026-06-23T12:05:00+00:00')).status).toBe(200);
  api.clock.set(t0 + 11 * minute);

  api.simulator.setApiKey(newKey);
  const oldKey = `Bearer ${apiKey}`;
  const refused = [
    await api.call('POST', '/batches', { body: csvForm(threeContacts), auth: oldKey }),
    await api.call('POST', `/batches/${batchId}/schedule`, {
      body: form({ scheduled_at: '2026-06-23T12:30:00+00:00' }),
      auth: oldKey,
    }),
    await api.call('GET', `/batches/${batchId}`, { auth: oldKey }),
    await api.call('GET', `/batches/${batchId}/executions`, { auth: oldKey }),
    await api.call('GET', `/batches/${agentId}/all`, { auth: oldKey }),
    await api.call('POST', `/batches/${batchId}/stop`, { auth: oldKey }),
    await api.call('DELETE', `/batches/${batchId}`, { auth: oldKey }),
    await api.call('GET', `/v2/agent/${agentId}/executions?batch_id=${batchId}`, { auth: oldKey }),
  ];
  for (const response of refused) {
    expect([response.status, response.json]).toEqual([403, { detail: like.any(String) }]);
    expect(response.text).not.toContain(apiKey);
  }
  expect(api.simulator.batches.size).toBe(1);

  const current = `Bearer ${newKey}`;
  const batch = fieldsOf(await api.call('GET', `/batches/${batchId}`, { auth: current }));
  expect(batch).toMatchObject({ batch_id: batchId, status: 'running' });
  const all = (await api.call('GET', `/batches/${agentId}/all`, { auth: current })).json as {
    batch_id: string;
  }[];
  expect(all.map((listed) => listed.batch_id)).toEqual([batchId]);
  expect((await api.call('POST', `/batches/${batchId}/stop`, { auth: current })).status).toBe(200);
  // Neither key is ever kept in the request log.
  const log = JSON.stringify(api.simulator.requests);
  expect(log).not.toContain(apiKey);
  expect(log).not.toContain(newKey);
});

test('a simulator that accepted any key accepts only the set one afterwards', async () => {
  api = await startApi({ apiKey: undefined });
  expect((await api.call('GET', `/batches/${agentId}/all`, { auth: 'Bearer bn-anything' })).status).toBe(200);
  api.simulator.setApiKey(newKey);
  expect((await api.call('GET', `/batches/${agentId}/all`, { auth: 'Bearer bn-anything' })).status).toBe(403);
  expect((await api.call('GET', `/batches/${agentId}/all`, { auth: `Bearer ${newKey}` })).status).toBe(200);
});

test('a new key of the same organisation starts with no fresh rate-limit allowance', async () => {
  api = await startApi({ rateLimit: { requestsPerMinute: 2 } });
  expect((await api.call('GET', `/batches/${agentId}/all`)).status).toBe(200);
  expect((await api.call('GET', `/batches/${agentId}/all`)).status).toBe(200);
  api.simulator.setApiKey(newKey);
  const limited = await api.call('GET', `/batches/${agentId}/all`, { auth: `Bearer ${newKey}` });
  expect(limited.status).toBe(429);
  api.clock.advance(minute);
  expect((await api.call('GET', `/batches/${agentId}/all`, { auth: `Bearer ${newKey}` })).status).toBe(200);
});

test('a key that could never authenticate is refused, and the accepted key stays as it was', async () => {
  api = await startApi();
  for (const key of ['', 'bn key with spaces', 'bn-tab\tkey']) {
    expect(() => api.simulator.setApiKey(key)).toThrow(/apiKey/);
  }
  expect((await api.call('GET', `/batches/${agentId}/all`)).status).toBe(200);
});
