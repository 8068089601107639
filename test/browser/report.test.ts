import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DefaultLogger } from '@temporalio/worker';
import { startSimulator } from '../../simulator/server';
import type { RunningSimulator } from '../../simulator/server';
import { openBrowser } from '../support/browser';
import type { BrowserCheck } from '../support/browser';
import { testApiKey as apiKey } from '../support/constants';
import { collectResults, finishedBatch } from '../support/finished-batch';
import { ManualClock } from '../support/manual-clock';

/**
 * A finished campaign's report.html, as collecting writes it, opened from disk in headless Chromium: every chart
 * is drawn (an SVG with real size, its axis and legend text readable) with nothing fetched from anywhere. The
 * screenshot goes to artifacts/screenshots/report-01-charts.png.
 */

let simulator: RunningSimulator;
let clock: ManualClock;
let dir: string;
let browser: BrowserCheck;

beforeAll(async () => {
  clock = new ManualClock(Date.parse('2026-06-23T12:00:00Z'));
  simulator = await startSimulator({ apiKey, clock });
  dir = await mkdtemp(join(tmpdir(), 'report-browser-'));
  browser = await openBrowser('report');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await simulator?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test("a finished campaign's report.html renders its charts offline", async () => {
  const bench = { simulator, clock, dir };
  const summary = await collectResults(bench, new DefaultLogger('ERROR'), await finishedBatch(bench, 40));
  const { page } = browser;
  await page.goto(pathToFileURL(summary.files.reportHtml ?? 'missing-report.html').href);

  for (const chart of ['outcomes', 'timeline', 'talk-time', 'extracted:simulated']) {
    const svg = page.locator(`figure[data-chart="${chart}"] svg`);
    await svg.waitFor({ state: 'visible', timeout: 10_000 });
    const box = await svg.boundingBox();
    expect({ chart, wide: (box?.width ?? 0) > 150, tall: (box?.height ?? 0) > 80 }).toEqual({
      chart,
      wide: true,
      tall: true,
    });
    // Vega drew marks, not an empty frame.
    expect(await svg.locator('path, rect').count()).toBeGreaterThan(2);
  }
  const outcomes = page.locator('figure[data-chart="outcomes"] svg');
  await outcomes.getByText('answered', { exact: true }).first().waitFor({ state: 'visible' });
  await page.getByRole('heading', { name: 'Calls over time' }).waitFor({ state: 'visible' });
  await page.getByRole('heading', { name: 'What the agent extracted' }).waitFor({ state: 'visible' });
  await browser.screenshot('charts');
  expect(browser.offLoopback).toEqual([]);
});
