import { mkdir, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { ensureChromium } from './chromium';

/**
 * Headless Chromium for the browser checks (test/browser/): Debian's Chromium (./chromium.ts) driven by
 * playwright-core, held to loopback, with a screenshot of each step in the git-ignored `artifacts/screenshots/`.
 *
 * Nothing may leave loopback. Playwright's launch switches turn off most of Chromium's background networking; the
 * Google services they leave on in Debian's build (sign-in's account list, the component updater, autofill) are
 * pointed at a stand-in on loopback that answers 404. Two nets then catch whatever still tries to leave:
 *  - every request of a page to a host other than 127.0.0.0/8, localhost or [::1] is routed to a handler that
 *    records its URL and aborts it before it is sent;
 *  - everything else the browser sends (WebSockets, service workers, a background service we did not know of)
 *    goes through a proxy on loopback that records the target and answers 403 without connecting anywhere.
 *    Loopback itself is never proxied.
 * And no host name but localhost resolves inside the browser, so not even a DNS query leaves the machine. A check
 * asserts `offLoopback` is empty: an attempt fails the test although nothing was sent.
 */
export interface BrowserCheck {
  page: Page;
  /** What tried to leave loopback so far: a page's request URLs and the proxy's targets (`host:port`). */
  readonly offLoopback: readonly string[];
  /** Saves a full-page screenshot as `<test>-<nn>-<step>.png` in `screenshotsDir` and returns its path. */
  screenshot(step: string): Promise<string>;
  close(): Promise<void>;
}

const screenshotsDir = resolve(__dirname, '..', '..', 'artifacts', 'screenshots');

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function leavesLoopback(url: URL): boolean {
  return /^(https?|wss?):$/.test(url.protocol) && !isLoopbackHost(url.hostname);
}

/**
 * The proxy on 127.0.0.1 that records what it is asked to reach and refuses all of it. A request for a path of
 * its own (not a proxy request) comes from one of the Google services pointed here, and gets a 404.
 */
async function startRefusingProxy(record: (target: string) => void) {
  const proxy = createServer((request, response) => {
    const target = request.url ?? '?';
    if (target.startsWith('/')) return response.writeHead(404).end();
    record(target);
    return response.writeHead(403).end();
  });
  proxy.on('connect', (request, socket) => {
    record(request.url ?? '?');
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((listening, failed) => {
    proxy.once('error', failed);
    proxy.listen(0, '127.0.0.1', listening);
  });
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    close: async () => {
      proxy.closeAllConnections();
      await new Promise((closed) => proxy.close(closed));
    },
  };
}

/** Forgets the screenshots of an earlier run of the same test, so the folder shows this run only. */
async function clearScreenshots(testName: string): Promise<void> {
  await mkdir(screenshotsDir, { recursive: true });
  for (const file of await readdir(screenshotsDir)) {
    if (file.startsWith(`${testName}-`)) await rm(join(screenshotsDir, file), { force: true });
  }
}

/** Launches headless Chromium with one page; `testName` names its screenshots. */
export async function openBrowser(testName: string): Promise<BrowserCheck> {
  const executablePath = await ensureChromium();
  await clearScreenshots(testName);
  const offLoopback: string[] = [];
  const proxy = await startRefusingProxy((target) => offLoopback.push(target));
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      // Chromium will not start as root with its sandbox on (CI and these machines run as root), so only then is
      // it off; as any other user it stays on.
      chromiumSandbox: process.getuid?.() !== 0,
      // Naming loopback keeps Playwright from proxying it (its default), so only other hosts reach the proxy.
      proxy: { server: proxy.url, bypass: 'localhost,127.0.0.1,[::1]' },
      args: [
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]',
        // Services Playwright's switches leave on here: they target a newer Chromium, and adding to their
        // --disable-features would replace it (Chromium keeps only the last one), so these talk to the stand-in.
        `--gaia-url=${proxy.url}`,
        `--component-updater=url-source=${proxy.url}/component-updater`,
        `--autofill-server-url=${proxy.url}/autofill/`,
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.route(leavesLoopback, async (route, request) => {
      offLoopback.push(request.url());
      await route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    const launched = browser;
    let step = 0;
    return {
      page,
      offLoopback,
      screenshot: async (name) => {
        step += 1;
        const path = join(screenshotsDir, `${testName}-${String(step).padStart(2, '0')}-${name}.png`);
        await page.screenshot({ path, fullPage: true });
        return path;
      },
      close: async () => {
        await launched.close();
        await proxy.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await proxy.close();
    throw error;
  }
}
