import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listCampaigns, startCampaign } from '../../src/campaigns';
import { progressQuery } from '../../src/workflows/definitions';
import { openBrowser } from '../support/browser';
import type { BrowserCheck } from '../support/browser';
import { contactsCsv, testAgentId } from '../support/constants';
import { startDevStack } from '../support/dev-stack';
import type { DevStack } from '../support/dev-stack';
import { waitFor } from '../support/wait-for';

/**
 * What an operator sees in the dev server's own Web UI, in headless Chromium: the workflow list filtered by
 * `BolnaBatchId` shows the campaign of that batch and no other, and the campaign's page shows its summary and its
 * live current details (phase `running`, the batch). Screenshots of each step go to artifacts/screenshots/.
 */

const taskQueue = 'browser-web-ui';
/** How long Playwright waits for something to appear: the UI loads, then asks the server. */
const visibleWithin = { timeout: 20_000 };
let stack: DevStack;
let browser: BrowserCheck;

beforeAll(async () => {
  stack = await startDevStack({
    name: 'web-ui-browser',
    // One call at a time, each a minute long: the campaign is still running while the browser looks at it.
    simulator: { calls: { concurrency: 1, ringMs: 500, talkMs: 60_000, postProcessingMs: 500 } },
  });
  await stack.runWorker({ taskQueue });
  browser = await openBrowser('web-ui');
  // The Web UI fetches a news feed from the internet unless told not to; this is its own setting for that.
  await browser.page.context().addInitScript("localStorage.setItem('temporal-news-auto-fetch', 'false')");
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

test('the Web UI filtered by BolnaBatchId shows the running campaign, then its current details', async () => {
  const stamp = Date.now();
  const csv = join(stack.workDir, 'contacts.csv');
  await writeFile(csv, contactsCsv(2));
  const start = async (name: string, startAt?: string) => ({
    name,
    ...(await startCampaign({
      client: stack.client,
      name,
      input: { agentId: testAgentId, csv, pollIntervalSeconds: 1, ...(startAt ? { startAt } : {}) },
      taskQueue,
    })),
  });
  const running = await start(`browser-running-${stamp}`);
  // Another campaign with a batch of its own, waiting for a start an hour away: the filter must leave it out.
  const other = await start(`browser-other-${stamp}`, new Date(Date.now() + 3_600_000).toISOString());

  const batchId = await waitFor('the campaign to be running', async () => {
    const progress = await running.handle.query(progressQuery);
    return progress.phase === 'running' && progress.batchId;
  });
  const otherBatchId = await waitFor('the other campaign to have its batch', async () => {
    return (await other.handle.query(progressQuery)).batchId;
  });
  // Both are in the visibility store the Web UI lists from, so the filter (not indexing lag) leaves one out.
  for (const [id, workflowId] of [
    [batchId, running.workflowId],
    [otherBatchId, other.workflowId],
  ] as const) {
    await waitFor(`${workflowId} listed by its batch`, async () => {
      const [found] = await listCampaigns(stack.client, { batchId: id });
      return found?.workflowId === workflowId && found.phase === (id === batchId ? 'running' : 'waiting');
    });
  }

  const { page } = browser;
  // The list's own URL form (Web UI 2.54): the visibility query, URL-encoded, in `query`.
  const query = `BolnaBatchId='${batchId}'`;
  await page.goto(`${stack.server.uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
  const campaignLink = page.getByRole('link', { name: running.workflowId, exact: true });
  await campaignLink.waitFor(visibleWithin);
  await browser.screenshot('list-filtered-by-batch');
  expect(await page.getByText(other.workflowId).count()).toBe(0);
  await page
    .getByRole('heading', { level: 1 })
    .filter({ hasText: /^1 Workflow$/ })
    .waitFor(visibleWithin);

  // The campaign's page, as an operator gets there: its link, then the tab with what the campaign says of itself.
  await campaignLink.click();
  await page.getByRole('tab', { name: 'User Metadata' }).click();
  // The Web UI renders each markdown text in a frame of its own.
  const summary = page.locator('iframe#user-metadata-summary').contentFrame();
  const currentDetails = page.locator('iframe#user-metadata-current-details').contentFrame();
  await summary.getByText(`Bolna campaign ${running.name}: 2 contacts`).waitFor(visibleWithin);
  await page.getByRole('heading', { name: 'Current Details' }).waitFor(visibleWithin);
  await currentDetails.getByRole('row', { name: 'phase running', exact: true }).waitFor(visibleWithin);
  await currentDetails
    .getByRole('row', { name: `batch ${batchId} (running)`, exact: true })
    .waitFor(visibleWithin);
  await browser.screenshot('campaign-current-details');

  expect(browser.offLoopback).toEqual([]);
}, 90_000);
