import { agentId, csvForm, fieldsOf, form, minute, startApi, t0, threeContacts } from './helpers';
import type { Execution, SimulatorApi } from './helpers';

/**
 * Where Bolna's OpenAPI file and its own tools are clear, the simulator follows them (integer `error` codes, an
 * invalid `webhook_url` ignored, the v2 filters applied, `batch_id` in the schedule body); where they leave a
 * question open, each reading is a variant (429 without Retry-After, `executed` before every call is final, a
 * batch Bolna gives up, rows Bolna drops, `conversation_time`).
 */

const start = t0 + 10 * minute;
const second = 1_000;

let api: SimulatorApi;
afterEach(() => api.simulator.close());

function contacts(count: number): string {
  const rows = Array.from({ length: count }, (_, i) => `+9198${String(i).padStart(8, '0')},P${i}`);
  return `contact_number,name\n${rows.join('\n')}\n`;
}

test('error bodies carry the status as an integer `error`, with a message', async () => {
  api = await startApi({ rateLimit: { requestsPerMinute: 4 } });
  const batchId = await api.createBatch();
  expect(await api.schedule(batchId, '2026-06-23T12:01:00+00:00')).toMatchObject({
    status: 400,
    json: { error: 400, message: expect.stringMatching(/2 minutes/) as unknown },
  });
  expect(await api.call('GET', '/batches/0123456789abcdef0123456789abcdef')).toMatchObject({
    status: 404,
    json: { error: 404, message: 'Batch not found' },
  });
  await api.call('GET', `/batches/${batchId}`);
  expect(await api.call('GET', `/batches/${batchId}`)).toMatchObject({
    status: 429,
    json: { error: 429, message: expect.any(String) as unknown },
  });
});

test('429s carry Retry-After by default; in the variant Bolna leaves it out, none does and none is logged', async () => {
  api = await startApi({ rateLimit: { requestsPerMinute: 1 } });
  api.simulator.injectFault({ path: '/user/me', kind: 'rate-limit', retryAfterSeconds: 5 });
  expect((await api.call('GET', '/user/me')).headers.get('retry-after')).toBe('5');

  api.simulator.settings.variants.retryAfterHeader = 'omitted';
  api.simulator.injectFault({ path: '/user/me', kind: 'rate-limit', retryAfterSeconds: 5 });
  const scripted = await api.call('GET', '/user/me');
  expect(await api.call('GET', '/user/me')).toMatchObject({ status: 200 });
  const limited = await api.call('GET', '/user/me');
  for (const response of [scripted, limited]) {
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBeNull();
  }
  expect(api.simulator.requests.slice(1).map((r) => [r.status, r.retryAfterSeconds])).toStrictEqual([
    [429, undefined],
    [200, undefined],
    [429, undefined],
  ]);
});

test('an invalid webhook_url is ignored, not refused: the batch is created without a webhook', async () => {
  api = await startApi();
  for (const webhookUrl of ['ftp://example.com/hook', 'not a url']) {
    const created = await api.call('POST', '/batches', {
      body: csvForm(threeContacts, { webhook_url: webhookUrl }),
    });
    expect(created.status).toBe(201);
    expect(await api.batch(fieldsOf(created).batch_id as string)).toMatchObject({ webhook_url: null });
  }
  const kept = await api.createBatch(threeContacts, { webhook_url: 'https://example.com/hook' });
  expect(await api.batch(kept)).toMatchObject({ webhook_url: 'https://example.com/hook' });
});

test('the schedule body may repeat batch_id (required in the spec-strict variant); another batch’s id is refused', async () => {
  api = await startApi();
  const schedule = (batchId: string, fields: Record<string, string>) =>
    api.call('POST', `/batches/${batchId}/schedule`, {
      body: form({ scheduled_at: '2026-06-23T12:05:00+00:00', ...fields }),
    });
  const [first, second] = [await api.createBatch(), await api.createBatch()];
  expect((await schedule(first, {})).status).toBe(200);
  expect((await schedule(first, { batch_id: first })).status).toBe(200);
  expect(await schedule(first, { batch_id: second })).toMatchObject({
    status: 400,
    json: { message: expect.stringMatching(/batch_id/) as unknown },
  });

  api.simulator.settings.variants.scheduleBatchIdField = 'required';
  expect(await schedule(second, {})).toMatchObject({
    status: 400,
    json: { error: 400, message: 'batch_id is required' },
  });
  expect((await api.batch(second)).status).toBe('created');
  expect((await schedule(second, { batch_id: second })).status).toBe(200);
  expect(api.simulator.requests.at(-1)?.fields).toMatchObject({ batch_id: second });
});

test('the v2 filters status, call_type, provider and answered_by_voice_mail are applied', async () => {
  api = await startApi({ calls: { outcomes: { completed: 1 } } });
  const batchId = await api.createBatch(contacts(5));
  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  // Calls 1 and 2 are in post-processing, calls 3 and 4 are talking, call 5 still queued.
  api.clock.set(start + 90 * second);
  const list = async (query: string) =>
    fieldsOf(await api.call('GET', `/v2/agent/${agentId}/executions?batch_id=${batchId}&${query}`));
  const names = (page: Record<string, unknown>) =>
    (page.data as Execution[]).map((execution) => execution.context_details.recipient_data.name);

  expect(await list('status=in-progress')).toMatchObject({ total: 2, has_more: false });
  expect(names(await list('status=in-progress'))).toEqual(['P3', 'P2']);
  expect(names(await list('status=call-disconnected&page_size=1&page_number=2'))).toEqual(['P0']);
  // Only placed calls have telephony data, hence a call type and a provider.
  expect(names(await list('call_type=outbound'))).toEqual(['P3', 'P2', 'P1', 'P0']);
  expect(names(await list('provider=twilio&status=queued'))).toEqual([]);
  expect(await list('provider=plivo')).toMatchObject({ total: 0, data: [] });
  expect(await list('answered_by_voice_mail=false')).toMatchObject({ total: 5 });
  expect(await list('answered_by_voice_mail=true')).toMatchObject({ total: 0 });
  const refused = await api.call('GET', `/v2/agent/${agentId}/executions?answered_by_voice_mail=maybe`);
  expect(refused).toMatchObject({ status: 400, json: { error: 400 } });
});

test('executed is reported when the calls are all final, or in the variant as soon as the last one hung up', async () => {
  api = await startApi({ calls: { outcomes: { completed: 1 } }, variants: { statusNames: 'spec' } });
  const final = await api.createBatch();
  await api.schedule(final, '2026-06-23T12:05:00+00:00');
  api.simulator.settings.variants.executedReported = 'before-calls-final';
  const early = await api.createBatch();
  await api.schedule(early, '2026-06-23T12:05:00+00:00');
  // The variant is fixed per batch when it is scheduled.
  api.simulator.settings.variants.executedReported = 'when-calls-final';

  // Both batches' last call hangs up at +144 s and is final at +294 s.
  api.clock.set(start + 144 * second);
  expect(await api.batch(final)).toMatchObject({ status: 'queued' });
  expect(await api.batch(early)).toMatchObject({
    status: 'executed',
    execution_status: { 'call-disconnected': 3 },
  });
  expect((await api.call('POST', `/batches/${early}/stop`)).status).toBe(404);
  api.clock.set(start + 294 * second);
  expect(await api.batch(final)).toMatchObject({ status: 'executed', execution_status: { completed: 3 } });
});

test.each(['failed', 'canceled'] as const)(
  'a batch Bolna gives up reports %s; its unfinished calls end canceled and it cannot be stopped',
  async (status) => {
    api = await startApi({
      calls: { outcomes: { completed: 1 } },
      variants: { batchGivenUp: { status, afterStartMs: 250 * second } },
    });
    const batchId = await api.createBatch();
    await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
    api.clock.set(start + 250 * second - 1);
    expect((await api.batch(batchId)).status).toBe('running');
    api.clock.set(start + 250 * second);
    // Calls 1 and 2 were final (at +222 and +223 s) and keep their result; call 3 was in post-processing.
    expect(await api.batch(batchId)).toMatchObject({
      status,
      execution_status: { completed: 2, canceled: 1 },
    });
    expect((await api.call('POST', `/batches/${batchId}/stop`)).status).toBe(404);
    api.clock.set(t0 + 60 * minute);
    expect(await api.batch(batchId)).toMatchObject({
      status,
      execution_status: { completed: 2, canceled: 1 },
    });
  },
);

test('rows Bolna drops at upload are counted out of valid_contacts and are in no listing', async () => {
  api = await startApi({ variants: { droppedContacts: 2 } });
  const batchId = await api.createBatch(contacts(5));
  expect(await api.batch(batchId)).toMatchObject({
    total_contacts: 5,
    valid_contacts: 3,
    execution_status: { prepared: 3 },
  });
  const listed = (await api.executions(batchId)).map((e) => e.context_details.recipient_data.name);
  expect(listed).toEqual(['P0', 'P1', 'P2']);
  expect(
    fieldsOf(await api.call('GET', `/v2/agent/${agentId}/executions?batch_id=${batchId}`)),
  ).toMatchObject({ total: 3 });
});

test('the conversation’s length is conversation_duration, or conversation_time in the variant', async () => {
  api = await startApi({ calls: { outcomes: { completed: 1 } } });
  const batchId = await api.createBatch();
  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  api.clock.set(t0 + 60 * minute);
  const [spec] = await api.executions(batchId);
  expect(spec).toMatchObject({ conversation_duration: 60 });
  expect(spec).not.toHaveProperty('conversation_time');
  api.simulator.settings.variants.durationField = 'conversation_time';
  const [other] = await api.executions(batchId);
  expect(other).toMatchObject({ conversation_time: 60 });
  expect(other).not.toHaveProperty('conversation_duration');
});
