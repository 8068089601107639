import { contactsCsv, lifelikeCalls } from '../support/constants';
import { serveOnLoopback } from '../support/loopback-server';
import { startWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';
import {
  campaignInput,
  requestsTo,
  startCampaignWorkflow,
  uniqueWorkflowId,
} from '../support/workflow-steps';

/**
 * Scheduling when clocks and timing are not what we planned for: Bolna's clock 40 s ahead of the worker's, a start
 * that passes while the first step is retried, and a start Bolna keeps refusing as too soon (retried, never fatal).
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

test('a start Bolna refuses as too soon, again and again, is retried with a later time each time: the campaign completes', async () => {
  // Bolna wants 6 minutes' lead where the worker believes 2: each attempt's margin is wider, so it gets there after
  // more refusals (7 or 8) than campaigns used to survive (6, after which the batch was left with nobody watching).
  harness.simulator.settings.rules.minLeadMs = 6 * minute;
  try {
    const handle = await startCampaignWorkflow(harness, uniqueWorkflowId(), await campaignInput(harness, 2));
    const result = await handle.result();

    expect(result).toMatchObject({ outcome: 'completed', totalCalls: 2 });
    const schedules = requestsTo(harness, 'POST', new RegExp(`^/batches/${result.batchId}/schedule$`));
    const refusals = schedules.filter((request) => request.status === 400);
    expect(refusals.length).toBeGreaterThan(6);
    expect(refusals.every((request) => /in the future/.test(request.message ?? ''))).toBe(true);
    expect(schedules.map((request) => request.status)).toEqual([...refusals.map(() => 400), 200]);
    // Each attempt chose its time afresh, later than the one before, and the one Bolna took is 6 minutes ahead.
    const times = schedules.map((request) => Date.parse(String(request.fields?.scheduled_at)));
    for (const [index, time] of times.entries())
      if (index > 0) expect(time).toBeGreaterThan(times[index - 1]!);
    expect(times.at(-1)! - schedules.at(-1)!.at).toBeGreaterThanOrEqual(6 * minute);
  } finally {
    harness.simulator.settings.rules.minLeadMs = 2 * minute;
  }
});
