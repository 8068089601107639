import { pathToFileURL } from 'node:url';
import { DefaultLogger } from '@temporalio/worker';
import { openBrowser } from '../support/browser';
import type { BrowserCheck } from '../support/browser';
import { collectResults, finishedBatch, startCollectBench } from '../support/finished-batch';

/**
 * A finished campaign's report.html, as collecting writes it, opened from disk in headless Chromium: every chart
 * is drawn (an SVG with real size, its axis and legend text readable) with nothing fetched from anywhere. The
 * screenshot goes to artifacts/screenshots/report-01-charts.png.
 */

let bench: Awaited<ReturnType<typeof startCollectBench>>;
let browser: BrowserCheck;

beforeAll(async () => {
  bench = await startCollectBench('report-browser');
  browser = await openBrowser('report');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await bench?.close();
});

test("a finished campaign's report.html renders its charts offline", async () => {
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
