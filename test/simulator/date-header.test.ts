import type { Clock } from '../../src/platform/clock';
import { agentId, csvForm, form, minute, startApi, t0, threeContacts } from './helpers';
import type { SimulatorApi } from './helpers';

/**
 * Every answer's `Date` header is the simulator's clock (an RFC 7231 IMF-fixdate), never Node's real time: a
 * client measures Bolna's clock, and its skew from its own, from this header.
 */

let api: SimulatorApi;
afterEach(() => api.simulator.close());

const at = (ms: number) => new Date(ms).toUTCString();

test('every kind of answer carries one Date header, on the simulator’s clock', async () => {
  api = await startApi({ rateLimit: { requestsPerMinute: 5 } });
  api.clock.set(t0 + 40_000);
  const expected = 'Tue, 23 Jun 2026 12:00:40 GMT';
  expect(at(t0 + 40_000)).toBe(expected);

  const created = await api.call('POST', '/batches', { body: csvForm(threeContacts) });
  const batchId = (created.json as { batch_id: string }).batch_id;
  api.simulator.injectFault({ path: '/user/me', kind: 'server-error', status: 503 });
  api.simulator.injectFault({ path: '/user/me', kind: 'rate-limit', retryAfterSeconds: 3 });
  const answers = [
    created,
    await api.call('GET', `/batches/${batchId}/executions`), // streamed
    await api.call('GET', '/user/me'), // injected 503
    await api.call('GET', '/user/me'), // injected 429
    await api.call('GET', '/nope'), // 404
    await api.call('PUT', '/user/me'), // 405
    await api.call('GET', `/batches/${agentId}/all`, { auth: 'Bearer bn-wrong' }), // 403
    await api.call('POST', `/batches/${batchId}/schedule`, { body: form({ scheduled_at: 'soon' }) }), // 400
    await api.call('GET', `/batches/${agentId}/all`),
    await api.call('GET', `/batches/${agentId}/all`),
    await api.call('GET', `/batches/${agentId}/all`), // the sixth counted request: over the limit, 429
  ];
  expect(answers.map((answer) => answer.status)).toEqual([
    201, 200, 503, 429, 404, 405, 403, 400, 200, 200, 429,
  ]);
  // A second Date header (Node's own) would show here as two dates joined by a comma.
  for (const answer of answers) expect(answer.headers.get('date')).toBe(expected);
});

test('the header follows the clock, to the whole second (the format’s resolution)', async () => {
  api = await startApi();
  api.clock.set(t0 + 90 * minute + 1_999);
  expect((await api.call('GET', `/batches/${agentId}/all`)).headers.get('date')).toBe(
    'Tue, 23 Jun 2026 13:30:01 GMT',
  );
  api.clock.advance(1);
  expect((await api.call('GET', `/batches/${agentId}/all`)).headers.get('date')).toBe(
    'Tue, 23 Jun 2026 13:30:02 GMT',
  );
});

test('clockOffsetMs runs Bolna’s clock ahead of the clock given: the Date header and the schedule rules follow it', async () => {
  // The worker's clock reads t0; Bolna's runs 40 s ahead of it.
  api = await startApi({ clockOffsetMs: 40_000 });
  const batchId = await api.createBatch();
  const answer = await api.call('GET', `/batches/${batchId}`);
  expect(answer.headers.get('date')).toBe(at(t0 + 40_000));
  expect((answer.json as { created_at: string }).created_at).toBe('2026-06-23T12:00:40+00:00');
  // 2 min 30 s ahead of the worker's clock is only 1 min 50 s ahead of Bolna's: refused.
  const refused = await api.schedule(batchId, '2026-06-23T12:02:30+00:00');
  expect(refused.status).toBe(400);
  expect(api.simulator.requests.at(-1)?.at).toBe(t0 + 40_000);
  expect((await api.schedule(batchId, '2026-06-23T12:02:41+00:00')).status).toBe(200);
});

test('a clock that fails gives a 500 without any Date header, as RFC 7231 asks of a server without a clock', async () => {
  const failing: Clock = {
    now: () => {
      throw new Error('the clock is gone');
    },
  };
  api = await startApi({ clock: failing });
  const response = await api.call('GET', '/user/me');
  expect(response.status).toBe(500);
  expect(response.headers.get('date')).toBeNull();
});
