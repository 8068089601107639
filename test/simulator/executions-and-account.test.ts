import { agentId, apiKey, fieldsOf, like, minute, startApi, t0 } from './helpers';
import type { Execution, SimulatorApi } from './helpers';

/** The executions list (streamed), the paginated v2 list, and the account endpoint. */

let api: SimulatorApi;
afterEach(() => api.simulator.close());

function contacts(count: number, offset = 0): string {
  const rows = Array.from(
    { length: count },
    (_, i) => `+9198${String(i + offset).padStart(8, '0')},P${i + offset}`,
  );
  return `contact_number,name\n${rows.join('\n')}\n`;
}

test('a large batch’s executions arrive streamed in chunks, as one valid JSON array', async () => {
  api = await startApi();
  const batchId = await api.createBatch(contacts(5_000));
  const response = await fetch(`${api.simulator.url}/batches/${batchId}/executions`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  expect(response.headers.get('transfer-encoding')).toBe('chunked');
  expect(response.headers.get('content-length')).toBeNull();
  const executions = (await response.json()) as Execution[];
  expect(executions).toHaveLength(5_000);
  expect(executions.map((e) => e.context_details.recipient_data.name)).toEqual(
    Array.from({ length: 5_000 }, (_, i) => `P${i}`),
  );
});

test('v2 pages an agent’s executions, at most 50 a page, optionally for one batch', async () => {
  api = await startApi();
  const first = await api.createBatch(contacts(3));
  const second = await api.createBatch(contacts(60, 100));
  const page = (query: string) => api.call('GET', `/v2/agent/${agentId}/executions?${query}`);

  expect((await page('page_size=51')).status).toBe(400);
  expect((await page('page_size=0')).status).toBe(400);
  expect((await page('page_number=0')).status).toBe(400);
  expect((await page('page_number=one')).status).toBe(400);

  // Newest first: the newer batch before the older, and a batch's last row before its first.
  const firstBatch = fieldsOf(await page(`batch_id=${first}&page_size=2&page_number=2`));
  expect(firstBatch).toMatchObject({ page_number: 2, page_size: 2, total: 3, has_more: false });
  expect((firstBatch.data as Execution[]).map((e) => e.context_details.recipient_data.name)).toEqual(['P0']);

  const everything = fieldsOf(await page('page_size=50&page_number=1'));
  expect(everything).toMatchObject({ total: 63, has_more: true });
  expect((everything.data as Execution[]).map((e) => e.batch_id)).toEqual(Array<string>(50).fill(second));
  expect((everything.data as Execution[])[0]!.context_details.recipient_data.name).toBe('P159');
  const last = fieldsOf(await page('page_size=50&page_number=2'));
  expect(last).toMatchObject({ total: 63, has_more: false });
  expect((last.data as Execution[]).map((e) => e.batch_id)).toEqual([
    ...Array<string>(10).fill(second),
    ...Array<string>(3).fill(first),
  ]);
  expect((last.data as Execution[]).map((e) => e.context_details.recipient_data.name).at(-1)).toBe('P0');
  expect(fieldsOf(await page('page_size=50&page_number=3')).data).toEqual([]);
  expect(
    fieldsOf(await api.call('GET', `/v2/agent/${'1'.repeat(8)}-1111-4111-8111-${'1'.repeat(12)}/executions`)),
  ).toMatchObject({
    total: 0,
    data: [],
  });
});

test('v2 `from`/`to` filter by creation time and may be at most 7 days apart', async () => {
  api = await startApi();
  await api.createBatch(contacts(2));
  api.clock.advance(60 * minute);
  await api.createBatch(contacts(1));
  const query = (from: string, to: string) =>
    api.call(
      'GET',
      `/v2/agent/${agentId}/executions?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
  expect(fieldsOf(await query('2026-06-23T12:30:00+00:00', '2026-06-23T13:30:00+00:00')).total).toBe(1);
  expect(fieldsOf(await query('2026-06-23T12:00:00Z', '2026-06-23T13:00:00Z')).total).toBe(3);
  expect((await query('2026-06-16T12:00:00+00:00', '2026-06-23T12:00:01+00:00')).status).toBe(400);
  expect((await query('2026-06-23T13:00:00+00:00', '2026-06-23T12:00:00+00:00')).status).toBe(400);
  expect((await query('yesterday', '2026-06-23T12:00:00+00:00')).status).toBe(400);
});

test('the account reports the wallet and how many calls are on the line now', async () => {
  api = await startApi({ calls: { concurrency: 2, outcomes: { completed: 1 } } });
  const idle = fieldsOf(await api.call('GET', '/user/me'));
  expect(idle).toEqual({
    id: like.any(String),
    name: like.any(String),
    email: like.stringContaining('@'),
    wallet: like.any(Number),
    concurrency: { max: 2, current: 0 },
  });
  const batchId = await api.createBatch(contacts(3));
  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  api.clock.set(t0 + 10 * minute + 5_000);
  expect(fieldsOf(await api.call('GET', '/user/me')).concurrency).toEqual({ max: 2, current: 2 });
  api.clock.set(t0 + 60 * minute);
  expect(fieldsOf(await api.call('GET', '/user/me')).concurrency).toEqual({ max: 2, current: 0 });
});
