import { progressQuery } from '../../src/workflows/definitions';
import { contactsCsv, lifelikeCalls } from '../support/constants';
import { serveOnLoopback } from '../support/loopback-server';
import { startWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';
import {
  applicationFailureOf,
  campaignInput,
  requestsTo,
  startCampaignWorkflow,
  uniqueWorkflowId,
} from '../support/workflow-steps';

/**
 * Scheduling when clocks and timing are not what we planned for: Bolna's clock 40 s ahead of the worker's, a start
 * that passes while the first step is retried, and a batch whose schedule fails for good (the campaign fails,
 * but does not leave the batch behind unannounced).
 */

const minute = 60_000;
let harness: WorkflowHarness;

beforeAll(async () => {
  harness = await startWorkflowHarness({ clockOffsetMs: 40_000, calls: lifelikeCalls });
  await harness.runWorker();
});

afterAll(async () => {
  await harness?.close();
});

test("a worker clock 40 s behind Bolna's: the start is chosen by Bolna's clock (its Date header)", async () => {
  const handle = await startCampaignWorkflow(harness, uniqueWorkflowId(), await campaignInput(harness, 2));
  const result = await handle.result();
  expect(result.outcome).toBe('completed');
  expect(result.totalCalls).toBe(2);
  const schedules = requestsTo(harness, 'POST', new RegExp(`^/batches/${result.batchId}/schedule$`));
  expect(schedules.map((request) => request.status)).toEqual([200]);
  // The request log runs on Bolna's clock.
  expect(Date.parse(String(schedules[0]!.fields?.scheduled_at)) - schedules[0]!.at).toBeGreaterThanOrEqual(
    2 * minute,
  );
});

test('a start that passes while the first step is retried means as soon as Bolna allows, with a warning', async () => {
  // The CSV's host fails the first download: the retry runs after startAt, which was fine when the campaign started.
  let downloads = 0;
  const csvHost = await serveOnLoopback((request, response) => {
    downloads += 1;
    response.writeHead(downloads === 1 ? 503 : 200, { 'content-type': 'text/csv' });
    response.end(downloads === 1 ? 'busy' : contactsCsv(2));
  });
  try {
    const startAt = new Date((await harness.clock.now()) + 1_000).toISOString();
    const input = {
      ...(await campaignInput(harness, 2, { startAt })),
      csv: `${csvHost.url}/leads.csv`,
    };
    const handle = await startCampaignWorkflow(harness, uniqueWorkflowId(), input);
    const result = await handle.result();
    expect(downloads).toBe(2);
    expect(result.outcome).toBe('completed');
    expect(result.warnings).toEqual([expect.stringMatching(/startAt .* had passed/)]);
  } finally {
    await csvHost.close();
  }
});

test('a schedule Bolna keeps refusing fails the campaign, deletes the unscheduled batch and says so', async () => {
  harness.simulator.settings.rules.minLeadMs = 60 * minute; // far more than the worker believes (2 minutes)
  try {
    const handle = await startCampaignWorkflow(harness, uniqueWorkflowId(), await campaignInput(harness, 2));
    const failure = applicationFailureOf(await handle.result().catch((error: unknown) => error));
    const progress = await handle.query(progressQuery);

    expect(failure).toMatchObject({ type: 'BolnaBadRequestError', nonRetryable: true });
    expect(failure?.message).toContain(`batch ${progress.batchId}: deleted at Bolna before it called anyone`);
    expect(failure?.details).toEqual([
      { batchId: progress.batchId, atBolna: 'deleted at Bolna before it called anyone' },
    ]);
    expect(progress.phase).toBe('failed');
    expect(harness.simulator.batches.find(progress.batchId!)).toBeUndefined();
    // Each refusal was answered with a later start: a clock further behind than measured gets there in the end.
    const schedules = requestsTo(harness, 'POST', new RegExp(`^/batches/${progress.batchId}/schedule$`));
    expect(schedules.map((request) => request.status)).toEqual([400, 400, 400, 400, 400, 400]);
    const leads = schedules.map((request) => Date.parse(String(request.fields?.scheduled_at)) - request.at);
    for (const [index, lead] of leads.entries()) {
      if (index > 0) expect(lead).toBeGreaterThan(leads[index - 1]!);
    }
  } finally {
    harness.simulator.settings.rules.minLeadMs = 2 * minute;
  }
});
