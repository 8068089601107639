import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { openBrowser } from './browser';
import type { BrowserCheck } from './browser';
import { serveOnLoopback } from './loopback-server';
import type { LoopbackServer } from './loopback-server';
import { waitFor } from './wait-for';

/**
 * The browser checks rely on this helper to prove that nothing left loopback, so it must itself catch a page that
 * tries. The names tried are in `.test`, which never resolves, and the browser resolves no name but localhost: a
 * broken guard would still send nothing off this machine.
 */

let server: LoopbackServer;
let browser: BrowserCheck;

const page = `<!doctype html>
<title>guard check</title>
<h1>served on loopback</h1>
<img src="http://guard-check.example.test/pixel.png">
<script>
  fetch('https://guard-check.example.test/data.json').catch(() => {});
  new WebSocket('ws://guard-check.example.test:8080/socket');
</script>`;

beforeAll(async () => {
  server = await serveOnLoopback((_request, response) => {
    response.setHeader('content-type', 'text/html');
    response.end(page);
  });
  browser = await openBrowser('browser-helper');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test('loopback pages load; every request to another host is caught, whether a page or a socket sends it', async () => {
  await browser.page.goto(server.url);
  await browser.page.getByRole('heading', { name: 'served on loopback' }).waitFor();

  await waitFor('three caught requests', () => browser.offLoopback.length >= 3 && browser.offLoopback, {
    timeoutMs: 10_000,
  });
  expect([...browser.offLoopback].sort()).toEqual([
    'guard-check.example.test:8080', // the WebSocket, refused by the proxy
    'http://guard-check.example.test/pixel.png',
    'https://guard-check.example.test/data.json',
  ]);
});

test('screenshots are PNG files named by test, step number and step', async () => {
  const first = await browser.screenshot('first');
  const second = await browser.screenshot('second');
  expect([basename(first), basename(second)]).toEqual([
    'browser-helper-01-first.png',
    'browser-helper-02-second.png',
  ]);
  expect((await readFile(second)).subarray(1, 4).toString()).toBe('PNG');
});
