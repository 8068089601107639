import { WorkflowNotFoundError } from '@temporalio/client';
import { getCampaign, startCampaign } from '../../src/campaigns';
import type { Campaign, CampaignReport, ResultsSummary, StartedCampaign } from '../../src/campaigns';
import type { CampaignInput } from '../../src/workflows/definitions';
import { contactsCsv, testAgentId as agentId } from '../support/constants';
import { startWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';

/**
 * The campaign handle of the library (`getCampaign`, and what `startCampaign` returns) on the time-skipping
 * server: found by name or workflow ID, its progress, stop, result and report.
 */

let harness: WorkflowHarness;
let counter = 0;
const taskQueue = 'campaign-handle';

beforeAll(async () => {
  harness = await startWorkflowHarness({
    calls: { concurrency: 2, ringMs: 10_000, talkMs: 60_000, postProcessingMs: 150_000 },
  });
  await harness.runWorker({ taskQueue });
});

afterAll(async () => {
  await harness?.close();
});

async function start(
  extra: Partial<CampaignInput> = {},
): Promise<{ name: string; started: StartedCampaign }> {
  counter += 1;
  const name = `handle-${counter}`;
  const csv = await harness.writeCsv(`${name}.csv`, contactsCsv(3));
  const input = { agentId, csv, pollIntervalSeconds: 30, ...extra };
  const started = await startCampaign({ client: harness.env.client, input, name, taskQueue });
  return { name, started };
}

/** A start a day ahead of the test server's clock: the campaign waits until the test ends it. */
const muchLater = async () => new Date((await harness.clock.now()) + 24 * 3_600_000).toISOString();

/** Follows the campaign until it sleeps towards its start. */
async function untilWaiting(campaign: Campaign): Promise<void> {
  const waiting = new AbortController();
  const last = await campaign
    .follow({
      intervalMs: 25,
      signal: waiting.signal,
      onProgress: (progress) => progress.phase === 'waiting' && waiting.abort(),
    })
    .catch((error: unknown) => {
      if (waiting.signal.aborted) return undefined;
      throw error;
    });
  if (last) throw new Error(`${campaign.workflowId} ended in phase ${last.phase} before waiting`);
}

/** Where the report is by the files the campaign's results name: what `report()` must say. */
function reportIn(files: Partial<ResultsSummary['files']> | undefined): CampaignReport | undefined {
  const { reportHtml: html, reportJson: json } = files ?? {};
  return html !== undefined && json !== undefined ? { html, json } : undefined;
}

// First, as in follow-and-end.test.ts: run after a campaign left sleeping a day ahead (terminated, its batch still
// scheduled at the simulator), this one did not complete.
test('the campaign startCampaign returns follows to the end, with the totals in its result', async () => {
  const { started } = await start();

  const [last, ending] = await Promise.all([
    started.follow({ intervalMs: 20, onProgress: () => undefined }),
    started.result(),
  ]);

  expect(started.csv).toMatchObject({ rows: 3 });
  expect(last).toMatchObject({ phase: 'completed', summary: { totalCalls: 3 } });
  expect(ending).toMatchObject({ how: 'returned', outcome: 'completed', result: { totalCalls: 3 } });
  if (ending.how !== 'returned') throw new Error(`ended ${ending.how}`);
  expect(ending.result.files?.csv).toMatch(/\.csv$/);
  expect(await started.report()).toEqual(reportIn(ending.result.files));
});

test('getCampaign names the workflow ID and the name it tried when there is no such campaign', async () => {
  const missing = getCampaign(harness.env.client, 'No such campaign');
  await expect(missing).rejects.toThrow(WorkflowNotFoundError);
  await expect(missing).rejects.toThrow(
    "No campaign 'No such campaign' (tried No such campaign, campaign-no-such-campaign, outreach-no-such-campaign)",
  );
});

test('a campaign got back by name or ID is stopped through its handle, and its result says so with the reason', async () => {
  const { name, started } = await start({ startAt: await muchLater() });
  const campaign = await getCampaign(harness.env.client, name);
  expect(campaign.workflowId).toBe(`campaign-${name}`);
  expect((await getCampaign(harness.env.client, started.workflowId)).workflowId).toBe(started.workflowId);
  await untilWaiting(campaign);
  expect(await campaign.progress()).toMatchObject({ phase: 'waiting', stopRequested: false });

  expect(await campaign.stop('wrong list')).toEqual({
    workflowId: campaign.workflowId,
    kind: 'batch',
    stopRequested: true,
  });

  const ending = await campaign.result();
  expect(ending).toMatchObject({ how: 'returned', outcome: 'stopped', result: { stopReason: 'wrong list' } });
  expect(await campaign.progress()).toMatchObject({ phase: 'stopped', stopRequested: true });
  // Stopping an ended campaign is an answer, not an error.
  expect(await campaign.stop()).toEqual({
    workflowId: campaign.workflowId,
    kind: 'batch',
    stopRequested: false,
    status: 'COMPLETED',
  });
  expect(await campaign.report()).toEqual(
    reportIn(ending.how === 'returned' ? ending.result.files : undefined),
  );
});

test('a cancelled campaign reads as stopped, and its report is where its last state says', async () => {
  const { started } = await start({ startAt: await muchLater() });
  await untilWaiting(started);
  await started.handle.cancel();

  expect(await started.result()).toEqual({ how: 'cancelled', outcome: 'stopped' });
  const { phase, summary } = await started.progress();
  expect(phase).toBe('stopped');
  expect(await started.report()).toEqual(reportIn(summary?.files));
});
