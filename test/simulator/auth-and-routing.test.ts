import { startSimulator } from '../../simulator/server';
import type { RunningSimulator } from '../../simulator/server';
import { apiKey, csvForm, fieldsOf, like, startApi, threeContacts } from './helpers';
import type { SimulatorApi } from './helpers';

/** Bearer keys answered with Bolna's 403 (not 401), and the exact route table: 404 and 405 otherwise. */

let api: SimulatorApi;
beforeEach(async () => {
  api = await startApi();
});
afterEach(() => api.simulator.close());

test('a wrong key is a 403 with a {detail} body that never echoes the key', async () => {
  const wrong = await api.call('GET', '/user/me', { auth: 'Bearer bn-not-the-key-0001' });
  expect(wrong.status).toBe(403);
  expect(wrong.json).toEqual({ detail: like.any(String) });
  expect(wrong.text).not.toContain('bn-not-the-key-0001');
});

test('a missing, empty, malformed or non-Bearer authorization is a 403', async () => {
  for (const auth of [
    null,
    '',
    'Bearer',
    'Bearer ',
    `bearer ${apiKey}`,
    `Token ${apiKey}`,
    apiKey,
    `Bearer ${apiKey} x`,
  ]) {
    const response = await api.call('GET', '/user/me', { auth });
    expect([auth, response.status]).toEqual([auth, 403]);
    expect(fieldsOf(response)).toHaveProperty('detail');
  }
  expect((await api.call('GET', '/user/me')).status).toBe(200);
});

test('a refused key changes nothing: no batch is created', async () => {
  const response = await api.call('POST', '/batches', {
    body: csvForm(threeContacts),
    auth: 'Bearer bn-wrong',
  });
  expect(response.status).toBe(403);
  expect(api.simulator.batches.size).toBe(0);
});

test('without a configured key any non-empty bearer key is accepted', async () => {
  const open: RunningSimulator = await startSimulator();
  try {
    const ok = await fetch(`${open.url}/user/me`, { headers: { authorization: 'Bearer anything-at-all' } });
    expect(ok.status).toBe(200);
    const missing = await fetch(`${open.url}/user/me`);
    expect(missing.status).toBe(403);
    expect(await missing.json()).toHaveProperty('detail');
  } finally {
    await open.close();
  }
});

test('unknown paths are a JSON 404, known paths with another method a 405 listing the allowed ones', async () => {
  for (const path of ['/nope', '/batches/', '/batch', '/v1/batches', '/batches/abc/unknown', '/user/me/']) {
    const response = await api.call('GET', path);
    expect([path, response.status, response.json]).toEqual([path, 404, { detail: 'Not Found' }]);
  }
  const put = await api.call('PUT', '/user/me');
  expect(put.status).toBe(405);
  expect(put.json).toEqual({ detail: 'Method Not Allowed' });
  expect(put.headers.get('allow')).toBe('GET');
  const listBatches = await api.call('GET', '/batches');
  expect(listBatches.status).toBe(405);
  expect(listBatches.headers.get('allow')).toBe('POST');
  expect((await api.call('POST', `/batches/${'a'.repeat(32)}`)).headers.get('allow')).toBe('GET, DELETE');
  expect((await api.call('GET', `/batches/${'a'.repeat(32)}/stop`)).status).toBe(405);
});
