import type { Fault } from '../../simulator/server';
import { agentId, csvForm, form, like, startApi, threeContacts } from './helpers';
import type { SimulatorApi } from './helpers';

/**
 * Failure injection: scripted faults consumed in order by the requests they match, and seeded random faults.
 * `lost-response` is the one that matters most: the request takes effect, only the answer never arrives.
 */

let api: SimulatorApi;
beforeEach(async () => {
  api = await startApi();
});
afterEach(() => api.simulator.close());

test('server-error answers 500, 502 or 503 without processing the request', async () => {
  api.simulator.injectFault({ method: 'POST', path: '/batches', kind: 'server-error' });
  api.simulator.injectFault({ path: '/user/me', kind: 'server-error', status: 502 });
  api.simulator.injectFault({ path: '/user/me', kind: 'server-error', status: 503 });

  const internal = await api.call('POST', '/batches', { body: csvForm(threeContacts) });
  expect([internal.status, internal.text]).toEqual([500, 'Internal Server Error']);
  expect(api.simulator.batches.size).toBe(0);
  const badGateway = await api.call('GET', '/user/me');
  expect(badGateway.status).toBe(502);
  expect(badGateway.headers.get('content-type')).toBe('text/html');
  expect(badGateway.json).toBeUndefined();
  expect((await api.call('GET', '/user/me')).status).toBe(503);
  expect((await api.call('GET', '/user/me')).status).toBe(200);
});

test('rate-limit answers 429 with Retry-After in seconds, or as an HTTP date', async () => {
  api.simulator.injectFault({ path: '/user/me', kind: 'rate-limit', retryAfterSeconds: 7 });
  api.simulator.injectFault({
    path: '/user/me',
    kind: 'rate-limit',
    retryAfterSeconds: 30,
    retryAfterAsDate: true,
  });
  const seconds = await api.call('GET', '/user/me');
  expect([seconds.status, seconds.headers.get('retry-after')]).toEqual([429, '7']);
  const dated = await api.call('GET', '/user/me');
  expect(dated.status).toBe(429);
  const retryAfter = dated.headers.get('retry-after')!;
  expect(retryAfter).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  const waitMs = Date.parse(retryAfter) - Date.now();
  expect(waitMs).toBeGreaterThan(28_000);
  expect(waitMs).toBeLessThanOrEqual(31_000);
});

test('latency delays the answer by real time; the request is then processed normally', async () => {
  api.simulator.injectFault({ path: '/user/me', kind: 'latency', latencyMs: 300 });
  const startedAt = performance.now();
  const slow = await api.call('GET', '/user/me');
  expect(slow.status).toBe(200);
  expect(performance.now() - startedAt).toBeGreaterThanOrEqual(295);
  const fastStartedAt = performance.now();
  expect((await api.call('GET', '/user/me')).status).toBe(200);
  expect(performance.now() - fastStartedAt).toBeLessThan(295);
});

test('a client that gives up on a slow answer sees a timeout; closing the simulator does not wait for it', async () => {
  api.simulator.injectFault({ path: '/user/me', kind: 'latency', latencyMs: 60_000 });
  const timedOut = fetch(`${api.simulator.url}/user/me`, {
    headers: { authorization: 'Bearer any' },
    signal: AbortSignal.timeout(100),
  });
  await expect(timedOut).rejects.toThrow();
  expect(api.simulator.requests[0]?.status).toBe('pending');
  const closingStartedAt = performance.now();
  await api.simulator.close();
  expect(performance.now() - closingStartedAt).toBeLessThan(5_000);
});

test('drop cuts the connection before anything is processed', async () => {
  api.simulator.injectFault({ method: 'POST', path: '/batches', kind: 'drop' });
  await expect(api.call('POST', '/batches', { body: csvForm(threeContacts) })).rejects.toThrow();
  expect(api.simulator.batches.size).toBe(0);
  expect(api.simulator.requests.map((r) => r.status)).toEqual(['dropped']);
  expect(await api.createBatch()).toMatch(/^[0-9a-f]{32}$/);
});

test('lost-response really creates the batch, then cuts the connection: it can be found by its file name', async () => {
  api.simulator.injectFault({ method: 'POST', path: '/batches', kind: 'lost-response' });
  const lost = api.call('POST', '/batches', { body: csvForm(threeContacts, {}, 'campaign-x-7f3a.csv') });
  await expect(lost).rejects.toThrow();
  expect(api.simulator.batches.size).toBe(1);
  const [logged] = api.simulator.requests;
  expect(logged).toMatchObject({
    method: 'POST',
    path: '/batches',
    status: 'lost',
    batchId: like.any(String),
  });
  const all = (await api.call('GET', `/batches/${agentId}/all`)).json as {
    batch_id: string;
    file_name: string;
  }[];
  expect(all).toEqual([
    like.objectContaining({ batch_id: logged?.batchId, file_name: 'campaign-x-7f3a.csv' }),
  ]);
});

test('lost-response on schedule: the batch is scheduled although the client never heard so', async () => {
  const batchId = await api.createBatch();
  api.simulator.injectFault({ method: 'POST', path: /\/schedule$/, kind: 'lost-response' });
  await expect(api.schedule(batchId, '2026-06-23T12:05:00+00:00')).rejects.toThrow();
  expect(await api.batch(batchId)).toMatchObject({
    status: 'scheduled',
    scheduled_at: '2026-06-23T12:10:00+00:00',
  });
});

test('faults match by method and path (exact or pattern), apply `times` times, and queue in order', async () => {
  api.simulator.injectFault({
    method: 'GET',
    path: /^\/batches\/[0-9a-f]{32}$/g,
    kind: 'server-error',
    times: 2,
  });
  api.simulator.injectFault({ path: /^\/batches\/[0-9a-f]{32}$/, kind: 'server-error', status: 503 });
  const batchId = await api.createBatch();
  expect((await api.call('DELETE', `/batches/${batchId}`)).status).toBe(503);
  expect((await api.call('GET', '/user/me')).status).toBe(200);
  expect((await api.call('GET', `/batches/${batchId}`)).status).toBe(500);
  expect((await api.call('GET', `/batches/${batchId}`)).status).toBe(500);
  expect((await api.call('GET', `/batches/${batchId}`)).status).toBe(200);
});

test('an impossible fault is refused when injected', () => {
  expect(() => api.simulator.injectFault({ kind: 'explode' } as unknown as Fault)).toThrow(TypeError);
  expect(() => api.simulator.injectFault({ kind: 'drop', times: 0 })).toThrow(TypeError);
  expect(() => api.simulator.injectFault({ kind: 'server-error', status: 504 } as unknown as Fault)).toThrow(
    TypeError,
  );
});

describe('random faults', () => {
  async function statuses(seed: number, count: number): Promise<(number | string)[]> {
    const run = await startApi({ seed, faults: { serverErrorRate: 0.3, dropRate: 0.2 } });
    try {
      for (let i = 0; i < count; i += 1) await run.call('GET', '/user/me').catch(() => undefined);
      return run.simulator.requests.map((r) => r.status);
    } finally {
      await run.simulator.close();
    }
  }

  test('they follow the seed: the same seed replays the same faults', async () => {
    const first = await statuses(3, 30);
    expect(await statuses(3, 30)).toEqual(first);
    expect(await statuses(4, 30)).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 503, 'dropped']));
  });

  test('random 429s carry a Retry-After drawn from the range, and the log names every injected fault', async () => {
    const run = await startApi({
      seed: 7,
      faults: {
        rateLimitRate: 0.4,
        retryAfterSeconds: { min: 2, max: 5 },
        serverErrorRate: 0.2,
        dropRate: 0.1,
      },
    });
    try {
      const retryAfters = new Set<string>();
      for (let i = 0; i < 60; i += 1) {
        const response = await run.call('GET', '/user/me').catch(() => undefined);
        if (response?.status === 429) {
          const header = response.headers.get('retry-after') ?? 'missing';
          retryAfters.add(header);
          // The log keeps the wait each 429 asked for, so a soak can check the retry came no sooner.
          expect(run.simulator.requests.at(-1)?.retryAfterSeconds).toBe(Number(header));
        }
      }
      expect([...retryAfters].sort()).toEqual(['2', '3', '4', '5']);
      const byFault = new Map<string, (number | string)[]>();
      for (const r of run.simulator.requests)
        byFault.set(r.fault ?? 'none', [...(byFault.get(r.fault ?? 'none') ?? []), r.status]);
      expect(new Set(byFault.get('rate-limit'))).toEqual(new Set([429]));
      expect(new Set(byFault.get('server-error'))).toEqual(new Set([503]));
      expect(new Set(byFault.get('drop'))).toEqual(new Set(['dropped']));
      expect(new Set(byFault.get('none'))).toEqual(new Set([200]));
    } finally {
      await run.simulator.close();
    }
  });

  test('rates can be changed mid-run, and a lost-response rate of 1 commits every request', async () => {
    api.simulator.settings.faults.lostResponseRate = 1;
    await expect(api.call('POST', '/batches', { body: csvForm(threeContacts) })).rejects.toThrow();
    await expect(api.call('POST', '/batches', { body: csvForm(threeContacts) })).rejects.toThrow();
    expect(api.simulator.batches.size).toBe(2);
    api.simulator.settings.faults.lostResponseRate = 0;
    api.simulator.settings.faults.latencyMs = 200;
    const startedAt = performance.now();
    expect((await api.call('POST', `/batches/${'a'.repeat(32)}/stop`, { body: form({}) })).status).toBe(404);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(195);
  });
});
