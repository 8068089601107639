import { agentId, csvForm, fieldsOf, minute, startApi, t0 } from './helpers';
import type { SimulatorApi } from './helpers';

/**
 * The account behind the key: its wallet pays for calls (when it runs dry, calls end `balance-low` without being
 * placed, and the batch still completes), and, when the test says which agents it owns, other agents are unknown.
 */

let api: SimulatorApi;
afterEach(() => api.simulator.close());

const fourContacts =
  'contact_number,name\n+919876543210,A\n+919812345678,B\n+14155550123,C\n+14155550124,D\n';
const wallet = async () => fieldsOf(await api.call('GET', '/user/me')).wallet as number;

test('a wallet that pays for one call: the rest end balance-low, unplaced, and the batch completes', async () => {
  // Every call talks 60 s at 9 cents a minute: 9 cents each.
  api = await startApi({ calls: { outcomes: { completed: 1 } }, account: { walletCents: 9 } });
  expect(await wallet()).toBe(9);
  const batchId = await api.createBatch(fourContacts);
  expect((await api.schedule(batchId, '2026-06-23T12:05:00+00:00')).status).toBe(200);
  expect(await wallet()).toBe(0);

  api.clock.set(t0 + 60 * minute);
  expect(await api.batch(batchId)).toMatchObject({
    status: 'completed',
    execution_status: { completed: 1, 'balance-low': 3 },
  });
  const executions = await api.executions(batchId);
  expect(executions.map((e) => e.status)).toEqual(['completed', 'balance-low', 'balance-low', 'balance-low']);
  for (const unpaid of executions.slice(1)) {
    expect(unpaid).toMatchObject({
      conversation_duration: 0,
      total_cost: 0,
      transcript: null,
      telephony_data: null,
      error_message: 'Wallet balance too low to place the call',
    });
  }
});

test('calls are paid in dial order across batches, and scheduling again refunds the earlier plan', async () => {
  api = await startApi({ calls: { outcomes: { completed: 1 } }, account: { walletCents: 40 } });
  const first = await api.createBatch(fourContacts);
  await api.schedule(first, '2026-06-23T12:05:00+00:00');
  expect(await wallet()).toBe(4);
  await api.schedule(first, '2026-06-23T12:15:00+00:00');
  expect(await wallet()).toBe(4);

  const second = await api.createBatch(fourContacts);
  await api.schedule(second, '2026-06-23T12:15:00+00:00');
  api.clock.set(t0 + 90 * minute);
  expect((await api.batch(second)).execution_status).toEqual({ completed: 1, 'balance-low': 3 });
  expect(await wallet()).toBe(0);
});

test('with the owned agents given, another agent cannot create batches, list them or page executions', async () => {
  const stranger = 'f0e1d2c3-b4a5-4968-8776-655443322110';
  api = await startApi({ agents: [agentId] });
  expect((await api.call('POST', '/batches', { body: csvForm(fourContacts) })).status).toBe(201);

  const refused = await api.call('POST', '/batches', { body: csvForm(fourContacts, { agent_id: stranger }) });
  expect(refused.status).toBe(400);
  expect(fieldsOf(refused)).toEqual({ error: 400, message: `Agent ${stranger} not found` });

  expect((await api.call('GET', `/batches/${agentId}/all`)).status).toBe(200);
  const listing = await api.call('GET', `/batches/${stranger}/all`);
  expect(listing.status).toBe(404);
  expect(fieldsOf(listing)).toEqual({ error: 404, message: 'Agent not found' });
  expect((await api.call('GET', `/v2/agent/${stranger}/executions`)).status).toBe(404);
  expect((await api.call('GET', `/v2/agent/${agentId}/executions`)).status).toBe(200);
});

test('without owned agents given, any agent UUID is accepted', async () => {
  api = await startApi();
  const anyAgent = 'f0e1d2c3-b4a5-4968-8776-655443322110';
  const created = await api.call('POST', '/batches', { body: csvForm(fourContacts, { agent_id: anyAgent }) });
  expect(created.status).toBe(201);
  expect((await api.call('GET', `/batches/${anyAgent}/all`)).json).toHaveLength(1);
});
