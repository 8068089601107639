import { agentId, csvForm, fieldsOf, form, like, rawMultipart, startApi } from './helpers';
import type { SimulatorApi } from './helpers';

/** POST /batches: a multipart upload, checked as strictly as Bolna documents it. */

let api: SimulatorApi;
beforeEach(async () => {
  api = await startApi();
});
afterEach(() => api.simulator.close());

async function refusal(body: FormData | ReturnType<typeof rawMultipart>): Promise<string> {
  const response =
    body instanceof FormData
      ? await api.call('POST', '/batches', { body })
      : await api.call('POST', '/batches', { body: body.body, headers: body.headers });
  expect([response.status, response.text]).toEqual([400, like.any(String)]);
  expect(response.json).toEqual({ error: 400, message: like.any(String) });
  return fieldsOf(response).message as string;
}

test('answers 201 with a 32-hex batch id and state created; the batch keeps the exact file name and counts', async () => {
  const fileName = 'campaign-diwali-2026 (आख़िरी).csv';
  const response = await api.call('POST', '/batches', {
    body: csvForm('contact_number,name\n+919876543210,A\n98765,B\n+14155550123,C\n', {}, fileName),
  });
  expect(response.status).toBe(201);
  expect(response.json).toEqual({ batch_id: like.stringMatching(/^[0-9a-f]{32}$/), state: 'created' });
  const batchId = fieldsOf(response).batch_id as string;
  expect(await api.batch(batchId)).toMatchObject({
    batch_id: batchId,
    status: 'created',
    file_name: fileName,
    total_contacts: 3,
    valid_contacts: 2,
    from_phone_numbers: [],
    scheduled_at: null,
    execution_status: { prepared: 3 },
  });
  const all = await api.call('GET', `/batches/${agentId}/all`);
  expect(all.json).toEqual([like.objectContaining({ batch_id: batchId, file_name: fileName })]);
});

test('every batch gets its own id, and the agent lists them newest first', async () => {
  const first = await api.createBatch();
  const second = await api.createBatch();
  expect(first).not.toBe(second);
  const all = (await api.call('GET', `/batches/${agentId}/all`)).json as { batch_id: string }[];
  expect(all.map((batch) => batch.batch_id)).toEqual([second, first]);
  expect((await api.call('GET', '/batches/00000000-0000-4000-8000-000000000000/all')).json).toEqual([]);
});

test('optional fields are kept: from_phone_numbers (repeated), retry_config, webhook_url', async () => {
  const batchId = await api.createBatch(undefined, {
    from_phone_numbers: ['+14155550100', '+14155550101'],
    retry_config: '{"enabled":true,"max_retries":2,"retry_on_statuses":["no-answer","busy"]}',
    webhook_url: 'https://example.com/bolna-hook',
  });
  expect(await api.batch(batchId)).toMatchObject({
    from_phone_numbers: ['+14155550100', '+14155550101'],
    retry_config: { enabled: true, max_retries: 2, retry_on_statuses: ['no-answer', 'busy'] },
    webhook_url: 'https://example.com/bolna-hook',
  });
});

test('agent_id is required, once, and must be a UUID', async () => {
  expect(await refusal(csvForm('contact_number\n+919876543210\n', { agent_id: 'agent-1' }))).toMatch(
    /agent_id/,
  );
  const noAgent = new FormData();
  noAgent.append('file', new Blob(['contact_number\n+919876543210\n']), 'c.csv');
  expect(await refusal(noAgent)).toMatch(/agent_id/);
  expect(await refusal(csvForm('contact_number\n+919876543210\n', { agent_id: [agentId, agentId] }))).toMatch(
    /agent_id/,
  );
});

test('the file is required, as a file part with a filename, exactly once', async () => {
  expect(await refusal(form({ agent_id: agentId }))).toMatch(/file is required/);
  expect(await refusal(form({ agent_id: agentId, file: 'contact_number\n+919876543210\n' }))).toMatch(
    /as a file/,
  );
  const withoutFilename = rawMultipart([
    { headers: 'Content-Disposition: form-data; name="agent_id"', content: agentId },
    {
      headers: 'Content-Disposition: form-data; name="file"\r\nContent-Type: application/octet-stream',
      content: 'contact_number\n+919876543210\n',
    },
  ]);
  expect(await refusal(withoutFilename)).toMatch(/filename/);
  const twoFiles = csvForm('contact_number\n+919876543210\n');
  twoFiles.append('file', new Blob(['contact_number\n+919812345678\n']), 'second.csv');
  expect(await refusal(twoFiles)).toMatch(/one file/);
  expect(api.simulator.batches.size).toBe(0);
});

test('the CSV needs a contact_number header (exact name), consistent rows, UTF-8, and at least one contact', async () => {
  expect(await refusal(csvForm('phone\n+919876543210\n'))).toMatch(/contact_number/);
  expect(await refusal(csvForm('Contact_Number\n+919876543210\n'))).toMatch(/contact_number/);
  expect(await refusal(csvForm(' contact_number,name\n+919876543210,A\n'))).toMatch(/contact_number/);
  expect(await refusal(csvForm('contact_number,name,name\n+919876543210,A,B\n'))).toMatch(/twice/);
  expect(await refusal(csvForm('contact_number,name\n+919876543210,A\n+919812345678\n'))).toMatch(/line 3/);
  expect(await refusal(csvForm('contact_number,name\n+919876543210,"A\n'))).toMatch(/Invalid CSV/);
  expect(
    await refusal(csvForm(new Uint8Array([...Buffer.from('contact_number,name\n+9198,'), 0xff, 0x0a]))),
  ).toMatch(/UTF-8/);
  expect(await refusal(csvForm(''))).toMatch(/empty/);
  expect(await refusal(csvForm('contact_number,name\n\n'))).toMatch(/no contacts/);
  expect(api.simulator.batches.size).toBe(0);
});

test('a UTF-8 byte-order mark and blank lines are tolerated, as by Bolna’s CSV reader', async () => {
  const batchId = await api.createBatch(
    '\uFEFFcontact_number,name\n+919876543210,Asha\n\n+919812345678,Ravi\n',
  );
  expect(await api.batch(batchId)).toMatchObject({ total_contacts: 2, valid_contacts: 2 });
  const [first] = await api.executions(batchId);
  expect(first?.context_details.recipient_data).toEqual({ contact_number: '+919876543210', name: 'Asha' });
});

test('numbers are valid only in strict E.164: no spaces, dashes, missing plus or leading zero', async () => {
  const rows = [
    '+919876543210',
    '+14155550123',
    '+4930123456',
    '919876543210',
    '+91 98765 43210',
    '+91-9876543210',
    ' +919876543210',
    '+0919876543210',
    '+1234567',
    '+1234567890123456',
    '9.19876543210E+11',
    '',
  ];
  const batchId = await api.createBatch(`contact_number\n${rows.map((r) => `"${r}"`).join('\n')}\n`);
  expect(await api.batch(batchId)).toMatchObject({ total_contacts: rows.length, valid_contacts: 3 });
});

test('from_phone_numbers must be E.164; retry_config valid JSON within the documented bounds', async () => {
  expect(
    await refusal(
      csvForm('contact_number\n+919876543210\n', { from_phone_numbers: ['+14155550100', '0800'] }),
    ),
  ).toMatch(/from_phone_numbers/);
  expect(await refusal(csvForm('contact_number\n+919876543210\n', { retry_config: '{oops' }))).toMatch(
    /JSON/,
  );
  expect(
    await refusal(csvForm('contact_number\n+919876543210\n', { retry_config: '{"max_retries":5}' })),
  ).toMatch(/retry_config/);
  expect(
    await refusal(
      csvForm('contact_number\n+919876543210\n', { retry_config: '{"retry_on_statuses":["completed"]}' }),
    ),
  ).toMatch(/retry_config/);
  expect(await refusal(csvForm('contact_number\n+919876543210\n', { retry_config: '[1]' }))).toMatch(
    /retry_config/,
  );
  expect(api.simulator.batches.size).toBe(0);
});

test('the body must be multipart/form-data', async () => {
  const json = await api.call('POST', '/batches', {
    body: JSON.stringify({ agent_id: agentId, file: 'contact_number\n+919876543210\n' }),
    headers: { 'content-type': 'application/json' },
  });
  expect(json.status).toBe(400);
  const noBoundary = await api.call('POST', '/batches', {
    body: 'x',
    headers: { 'content-type': 'multipart/form-data' },
  });
  expect(noBoundary.status).toBe(400);
  const truncated = await api.call('POST', '/batches', {
    body: '--b\r\nContent-Disposition: form-data; name="agent_id"\r\n\r\nabc',
    headers: { 'content-type': 'multipart/form-data; boundary=b' },
  });
  expect(truncated.status).toBe(400);
});

test('a large upload streams through: 50,000 rows, each kept for its execution', async () => {
  const lines = ['contact_number,first_name,city'];
  for (let i = 0; i < 50_000; i += 1) lines.push(`+9198${String(i).padStart(8, '0')},Person ${i},Pune`);
  const batchId = await api.createBatch(`${lines.join('\n')}\n`);
  expect(await api.batch(batchId)).toMatchObject({ total_contacts: 50_000, valid_contacts: 50_000 });
  const executions = await api.executions(batchId);
  expect(executions).toHaveLength(50_000);
  expect(executions[49_999]?.context_details.recipient_data).toEqual({
    contact_number: '+919800049999',
    first_name: 'Person 49999',
    city: 'Pune',
  });
  expect(api.simulator.requests[0]?.file?.bytes).toBe(Buffer.byteLength(`${lines.join('\n')}\n`));
});
