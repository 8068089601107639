import { csvForm, fieldsOf, like, minute, startApi, t0, threeContacts } from './helpers';
import type { SimulatorApi } from './helpers';

/** Where Bolna's docs disagree, each documented form can be served, so clients prove they accept them all. */

let api: SimulatorApi;
afterEach(() => api.simulator.close());

test('defaults: 201 on create, 200 "scheduled", `status`, a bare executions array, quickstart names', async () => {
  api = await startApi();
  const created = await api.call('POST', '/batches', { body: csvForm(threeContacts) });
  expect(created.status).toBe(201);
  const batchId = fieldsOf(created).batch_id as string;
  const scheduled = await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  expect([scheduled.status, scheduled.json]).toEqual([200, { message: 'success', state: 'scheduled' }]);
  const batch = await api.batch(batchId);
  expect(batch.status).toBe('scheduled');
  expect(batch).not.toHaveProperty('state');
  expect(Array.isArray((await api.call('GET', `/batches/${batchId}/executions`)).json)).toBe(true);
});

test('the other documented forms: 200 on create, 202 "scheduled at <start>", `state`, {data, has_more}', async () => {
  api = await startApi({
    variants: {
      createStatus: 200,
      scheduleStatus: 202,
      scheduleStateForm: 'with-time',
      statusField: 'state',
      executionsEnvelope: 'data',
    },
  });
  const created = await api.call('POST', '/batches', { body: csvForm(threeContacts) });
  expect(created.status).toBe(200);
  expect(created.json).toEqual({ batch_id: like.stringMatching(/^[0-9a-f]{32}$/), state: 'created' });
  const batchId = fieldsOf(created).batch_id as string;
  const scheduled = await api.schedule(batchId, '2026-06-23T12:03:00+00:00');
  expect(scheduled.status).toBe(202);
  expect(scheduled.json).toEqual({ message: 'success', state: 'scheduled at 2026-06-23T12:10:00+00:00' });
  const batch = await api.batch(batchId);
  expect(batch.state).toBe('scheduled');
  expect(batch).not.toHaveProperty('status');
  const executions = await api.call('GET', `/batches/${batchId}/executions`);
  expect(executions.json).toEqual({
    data: [like.any(Object), like.any(Object), like.any(Object)],
    has_more: false,
  });
});

test('both status and state; the OpenAPI enum’s names (queued, executed); switched mid-run', async () => {
  api = await startApi({
    variants: { statusField: 'both', statusNames: 'spec' },
    calls: { outcomes: { completed: 1 } },
  });
  const batchId = await api.createBatch();
  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  expect(await api.batch(batchId)).toMatchObject({ status: 'scheduled', state: 'scheduled' });
  api.clock.set(t0 + 11 * minute);
  expect(await api.batch(batchId)).toMatchObject({ status: 'queued', state: 'queued' });
  api.clock.set(t0 + 60 * minute);
  expect(await api.batch(batchId)).toMatchObject({ status: 'executed', state: 'executed' });
  api.simulator.settings.variants.statusNames = 'quickstart';
  api.simulator.settings.variants.statusField = 'status';
  const batch = await api.batch(batchId);
  expect(batch.status).toBe('completed');
  expect(batch).not.toHaveProperty('state');
});

test('the batch object carries fields Bolna does not document, which clients must keep', async () => {
  api = await startApi();
  const batch = await api.batch(await api.createBatch());
  const documented = [
    'batch_id',
    'status',
    'scheduled_at',
    'created_at',
    'updated_at',
    'humanized_created_at',
    'file_name',
    'valid_contacts',
    'total_contacts',
    'from_phone_numbers',
    'execution_status',
  ];
  expect(Object.keys(batch)).toEqual(expect.arrayContaining(documented));
  expect(Object.keys(batch).filter((key) => !documented.includes(key))).toEqual(
    expect.arrayContaining(['agent_id', 'from_phone_number']),
  );
});
