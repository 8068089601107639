import { agentId, like, minute, startApi } from './helpers';
import type { SimulatorApi } from './helpers';

/**
 * Requests per organisation per sliding minute of the simulator's clock; over it, a 429 with Retry-After in
 * seconds. (A rotated key keeps its organisation's allowance: key-rotation.test.ts.)
 */

let api: SimulatorApi;
afterEach(() => api.simulator.close());

test('over the limit is a 429 with Retry-After in seconds until the oldest request leaves the window', async () => {
  api = await startApi({ rateLimit: { requestsPerMinute: 3 } });
  expect((await api.call('GET', '/user/me')).status).toBe(200);
  api.clock.advance(20_000);
  expect((await api.call('GET', '/user/me')).status).toBe(200);
  expect((await api.call('GET', '/user/me')).status).toBe(200);
  api.clock.advance(10_000);
  const limited = await api.call('GET', '/user/me');
  expect(limited.status).toBe(429);
  expect(limited.headers.get('retry-after')).toBe('30');
  expect(limited.json).toEqual({ error: 429, message: like.any(String) });
  // The log keeps the wait asked for, and that no fault was injected: this 429 is the real limit.
  expect(api.simulator.requests.at(-1)).toMatchObject({ status: 429, retryAfterSeconds: 30 });
  expect(api.simulator.requests.at(-1)?.fault).toBeUndefined();

  // Refused requests do not count; the first request leaves the window 60 s after it was made.
  api.clock.advance(29_999);
  expect((await api.call('GET', '/user/me')).headers.get('retry-after')).toBe('1');
  api.clock.advance(1);
  expect((await api.call('GET', '/user/me')).status).toBe(200);
  expect((await api.call('GET', '/user/me')).status).toBe(429);
});

test('without a configured key each key is an organisation of its own; the limit covers every endpoint', async () => {
  // No configured key: any key is accepted, each with its own allowance.
  api = await startApi({ apiKey: undefined, rateLimit: { requestsPerMinute: 2 } });
  expect((await api.call('GET', '/user/me')).status).toBe(200);
  expect((await api.call('GET', `/batches/${agentId}/all`)).status).toBe(200);
  expect((await api.call('GET', `/batches/${agentId}/all`)).status).toBe(429);
  expect((await api.call('POST', '/batches')).status).toBe(429);
  expect((await api.call('GET', '/user/me', { auth: 'Bearer bn-another-org' })).status).toBe(200);
  api.clock.advance(minute);
  expect((await api.call('GET', '/user/me')).status).toBe(200);
});

test('the /v2/ endpoints have their own stricter limit on top of the general one', async () => {
  api = await startApi({ rateLimit: { requestsPerMinute: 10, v2RequestsPerMinute: 2 } });
  const v2 = `/v2/agent/${agentId}/executions`;
  expect((await api.call('GET', v2)).status).toBe(200);
  expect((await api.call('GET', v2)).status).toBe(200);
  const limited = await api.call('GET', v2);
  expect(limited.status).toBe(429);
  expect(limited.headers.get('retry-after')).toBe('60');
  expect((await api.call('GET', '/user/me')).status).toBe(200);
});

test('the limit can be changed mid-run, as Bolna plans differ', async () => {
  api = await startApi({ rateLimit: { requestsPerMinute: 1 } });
  expect((await api.call('GET', '/user/me')).status).toBe(200);
  expect((await api.call('GET', '/user/me')).status).toBe(429);
  api.simulator.settings.rateLimit.requestsPerMinute = 5;
  expect((await api.call('GET', '/user/me')).status).toBe(200);
});
