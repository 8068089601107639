import dns from 'node:dns';
import { Agent, request } from 'undici';
import { serveOnLoopback } from './loopback-server';
import type { LoopbackServer } from './loopback-server';
import { installNetworkGuard } from './network-guard';
import type { NetworkGuard } from './network-guard';

/**
 * The guard other tests rely on to prove that nothing left loopback must itself be able to catch a connection
 * that would. Even a broken guard sends nothing off this machine here: the non-loopback addresses tried are the
 * unspecified ones (0.0.0.0 and ::, which the kernel connects locally), and the system resolver is stubbed out.
 */

let guard: NetworkGuard;
let server: LoopbackServer;
let port: number;

beforeAll(async () => {
  server = await serveOnLoopback((_req, res) => res.end('ok'));
  port = server.port;
});
afterAll(async () => server.close());
beforeEach(() => {
  guard = installNetworkGuard();
});
afterEach(() => guard.uninstall());

const get = (url: string, dispatcher?: Agent) =>
  request(url, dispatcher ? { dispatcher } : {}).then(
    async (response) => `${response.statusCode} ${await response.body.text()}`,
    (error: unknown) => (error as { code?: string }).code ?? String(error),
  );

test('loopback passes', async () => {
  expect(await get(`http://127.0.0.1:${port}/`)).toBe('200 ok');
  expect(guard.blocked).toEqual([]);
});

test('an address off loopback is blocked and recorded, never connected', async () => {
  expect(await get(`http://0.0.0.0:${port}/`)).toBe('ETESTBLOCKED');
  expect(await get(`http://[::]:${port}/`)).toBe('ETESTBLOCKED');
  expect(guard.blocked).toEqual([`0.0.0.0:${port}`, `:::${port}`]);
});

test('a name needing the system resolver is blocked; injected answers are checked', async () => {
  const systemResolver = jest.spyOn(dns, 'lookup').mockImplementation(() => {
    throw Object.assign(new Error('the system resolver was asked'), { code: 'ESYSTEMDNS' });
  });
  expect(await get('http://files.example.test/')).toBe('ETESTBLOCKED');
  expect(systemResolver).not.toHaveBeenCalled();
  systemResolver.mockRestore();
  const answering = (address: string) =>
    new Agent({
      connect: { lookup: (_host, _options, callback) => callback(null, [{ address, family: 4 }]) },
    });
  expect(await get(`http://files.example.test:${port}/`, answering('127.0.0.1'))).toBe('200 ok');
  expect(await get(`http://files.example.test:${port}/`, answering('0.0.0.0'))).toBe('ETESTBLOCKED');
  expect(guard.blocked).toEqual([
    'files.example.test:80 (system DNS)',
    `0.0.0.0:${port} (files.example.test)`,
  ]);
});
