import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { request } from 'undici';
import { loadPayloadKeys } from '../../src/codec/config';
import { EncryptionCodec } from '../../src/codec/encryption-codec';
import { toPayloadJson } from '../../src/codec/payload-json';
import type { PayloadJson } from '../../src/codec/payload-json';
import { startCodecServer } from '../../src/codec/server';
import type { RunningCodecServer } from '../../src/codec/server';

/** The codec server over real HTTP on loopback, called the way the Web UI and the `temporal` CLI call it. */

const webUi = 'http://localhost:8233';
const token = 'codec-token-0123456789abcdef';
const codec = new EncryptionCodec(
  loadPayloadKeys({ BOLNA_PAYLOAD_KEY: randomBytes(32).toString('base64'), BOLNA_PAYLOAD_KEY_ID: 'k1' })!,
);
const stranger = new EncryptionCodec(
  loadPayloadKeys({ BOLNA_PAYLOAD_KEY: randomBytes(32).toString('base64'), BOLNA_PAYLOAD_KEY_ID: 'k9' })!,
);

let open: RunningCodecServer;
let guarded: RunningCodecServer;

beforeAll(async () => {
  open = await startCodecServer({ codec, port: 0, corsOrigins: [webUi] });
  guarded = await startCodecServer({ codec, port: 0, corsOrigins: [webUi], token });
});

afterAll(async () => {
  await open?.close();
  await guarded?.close();
});

const input = { agentId: 'agent', csv: '/data/contacts.csv', first: '+919876543210' };
const inputJson = (): PayloadJson => toPayloadJson(defaultPayloadConverter.toPayload(input));

async function post(
  server: RunningCodecServer,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const response = await request(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    json: JSON.parse(text || 'null') as unknown,
  };
}

const payloadsOf = (json: unknown) => (json as { payloads: PayloadJson[] }).payloads;
const decodeJson = (payload: PayloadJson) => Buffer.from(payload.data ?? '', 'base64').toString('utf8');

test('binds to loopback by default', () => {
  expect(open.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});

test('CORS preflight from the Web UI: allowed, with the headers the UI sends', async () => {
  const response = await request(`${open.url}/decode`, {
    method: 'OPTIONS',
    headers: {
      origin: webUi,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-namespace,authorization',
    },
  });
  await response.body.dump();
  expect(response.statusCode).toBe(204);
  expect(response.headers['access-control-allow-origin']).toBe(webUi);
  expect(response.headers['access-control-allow-methods']).toMatch(/POST/);
  const allowed = String(response.headers['access-control-allow-headers']).split(/,\s*/);
  expect(allowed).toEqual(expect.arrayContaining(['content-type', 'x-namespace', 'authorization']));
  expect(response.headers.vary).toBe('Origin');
});

test('another origin is refused, preflight and request alike, before anything is decrypted', async () => {
  const preflight = await request(`${open.url}/decode`, {
    method: 'OPTIONS',
    headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
  });
  await preflight.body.dump();
  expect(preflight.statusCode).toBe(403);
  expect(preflight.headers['access-control-allow-origin']).toBeUndefined();

  const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(input)]);
  const response = await post(
    open,
    '/decode',
    { payloads: [toPayloadJson(encrypted!)] },
    {
      origin: 'http://evil.example',
    },
  );
  expect(response.status).toBe(403);
  expect(JSON.stringify(response.json)).not.toContain('+919876543210');
});

test('encode then decode round trip, answered to the Web UI origin and never cached', async () => {
  const encoded = await post(open, '/encode', { payloads: [inputJson()] }, { origin: webUi });
  expect(encoded.status).toBe(200);
  expect(encoded.headers['access-control-allow-origin']).toBe(webUi);
  expect(encoded.headers['cache-control']).toBe('no-store');
  const [sealed] = payloadsOf(encoded.json);
  expect(Buffer.from(sealed!.metadata!.encoding!, 'base64').toString()).toBe('binary/encrypted');
  expect(Buffer.from(sealed!.metadata!['encryption-key-id']!, 'base64').toString()).toBe('k1');
  expect(decodeJson(sealed!)).not.toContain('9876543210');

  const decoded = await post(open, '/decode', { payloads: [sealed] }, { origin: webUi });
  expect(decoded.status).toBe(200);
  const [plain] = payloadsOf(decoded.json);
  expect(JSON.parse(decodeJson(plain!))).toEqual(input);
  expect(Buffer.from(plain!.metadata!.encoding!, 'base64').toString()).toBe('json/plain');
});

test('what the SDK encrypted, the server decrypts; plain payloads pass through; a path prefix is fine', async () => {
  const [bySdk] = await codec.encode([defaultPayloadConverter.toPayload(input)]);
  const decoded = await post(open, '/default/decode', { payloads: [toPayloadJson(bySdk!), inputJson()] });
  expect(decoded.status).toBe(200);
  expect(payloadsOf(decoded.json).map((payload) => JSON.parse(decodeJson(payload)) as unknown)).toEqual([
    input,
    input,
  ]);
});

test('a payload sealed with an unknown key ID: 422 naming the key ID', async () => {
  const [foreign] = await stranger.encode([defaultPayloadConverter.toPayload(input)]);
  const decoded = await post(open, '/decode', { payloads: [toPayloadJson(foreign!)] });
  expect(decoded.status).toBe(422);
  expect(JSON.stringify(decoded.json)).toMatch(/key ID \\"k9\\", which is not configured here/);
});

test('with a token: no or a wrong bearer token is refused; the right one works; preflights need none', async () => {
  const body = { payloads: [inputJson()] };
  expect((await post(guarded, '/encode', body)).status).toBe(401);
  const wrong = await post(guarded, '/encode', body, { authorization: `Bearer ${token.replace(/.$/, 'x')}` });
  expect(wrong.status).toBe(401);
  expect(wrong.headers['www-authenticate']).toBe('Bearer');
  expect((await post(guarded, '/encode', body, { authorization: token })).status).toBe(401);
  expect((await post(guarded, '/encode', body, { authorization: `Bearer ${token}` })).status).toBe(200);

  const preflight = await request(`${guarded.url}/decode`, {
    method: 'OPTIONS',
    headers: { origin: webUi, 'access-control-request-method': 'POST' },
  });
  await preflight.body.dump();
  expect(preflight.statusCode).toBe(204);
});

test('malformed requests get a clear 4xx', async () => {
  expect((await post(open, '/decode', '{not json')).status).toBe(400);
  expect((await post(open, '/decode', { payload: [] })).status).toBe(400);
  expect((await post(open, '/decode', { payloads: [{ data: '***' }] })).status).toBe(400);
  expect((await post(open, '/decode', { payloads: [] }, { 'content-type': 'text/plain' })).status).toBe(415);
  expect((await post(open, '/elsewhere', { payloads: [] })).status).toBe(404);
  const get = await request(`${open.url}/decode`);
  await get.body.dump();
  expect(get.statusCode).toBe(405);
});
