import { connectedCallStatuses } from '../../src/bolna/statuses';
import { progressQuery, stopSignal } from '../../src/workflows/definitions';
import { lifelikeCalls } from '../support/constants';
import { startWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';
import {
  campaignInput,
  requestsTo,
  startCampaignWorkflow,
  uniqueWorkflowId,
  waitForPhase,
} from '../support/workflow-steps';

/**
 * Batches that do not end the way the docs say: one Bolna never reports as finished (a status nobody documented)
 * is stopped at the campaign's running deadline; after a stop, calls already on the line are waited for, so their
 * results are collected too.
 */

const minute = 60_000;
let harness: WorkflowHarness;

beforeAll(async () => {
  harness = await startWorkflowHarness({ calls: lifelikeCalls });
  await harness.runWorker();
});

afterAll(async () => {
  await harness?.close();
});

test('a batch in a status nobody documented is stopped at the running deadline: timed-out, results collected', async () => {
  harness.simulator.settings.variants.unknownBatchStatus = 'paused';
  try {
    const handle = await startCampaignWorkflow(
      harness,
      uniqueWorkflowId(),
      await campaignInput(harness, 4, { runningTimeoutMinutes: 30 }),
    );
    const result = await handle.result();

    expect(result.outcome).toBe('timed-out');
    expect(result.stopReason).toMatch(/still running at its deadline/);
    expect(result.warnings).toContain("Bolna reports batch status 'paused', which its docs do not list");
    expect(result.totalCalls).toBe(4);
    const { startsAt } = await handle.query(progressQuery);
    const [stop] = requestsTo(harness, 'POST', new RegExp(`^/batches/${result.batchId}/stop$`));
    expect(stop!.at - Date.parse(startsAt!)).toBeGreaterThanOrEqual(30 * minute);
    expect(stop!.at - Date.parse(startsAt!)).toBeLessThan(31 * minute);
  } finally {
    delete harness.simulator.settings.variants.unknownBatchStatus;
  }
});

test("the default running deadline follows the rows and the account's concurrency, generously", async () => {
  const handle = await startCampaignWorkflow(harness, uniqueWorkflowId(), await campaignInput(harness, 7));
  const waiting = await waitForPhase(handle, 'waiting');
  await harness.env.sleep(Date.parse(waiting.startsAt!) + minute - (await harness.clock.now()));
  const progress = await waitForPhase(handle, 'running');
  // 7 rows, 3 calls at a time: 3 rounds of 15 minutes, plus an hour.
  expect(Date.parse(progress.runningDeadline!) - Date.parse(progress.startsAt!)).toBe(105 * minute);
  expect(progress.concurrency).toBe(3);
  await handle.signal(stopSignal, 'enough');
  await handle.result();
});

test('after a stop, calls already on the line are waited for and collected with their real outcome', async () => {
  harness.simulator.settings.variants.stopEffect = 'connected-calls-finish';
  try {
    const handle = await startCampaignWorkflow(harness, uniqueWorkflowId(), await campaignInput(harness, 9));
    const waiting = await waitForPhase(handle, 'waiting');
    // A minute after the start the first round of calls is talking; the rest has not been placed.
    await harness.env.sleep(Date.parse(waiting.startsAt!) + minute - (await harness.clock.now()));
    const onTheLine = await waitForPhase(handle, 'running');
    await handle.signal(stopSignal, 'wrong script');
    const result = await handle.result();

    expect(result.outcome).toBe('stopped');
    expect(result.totalCalls).toBe(9);
    for (const status of connectedCallStatuses) expect(result.counts?.[status] ?? 0).toBe(0);
    const finished = 9 - (result.counts?.stopped ?? 0);
    expect(finished).toBeGreaterThan(0);
    expect(result.counts?.stopped ?? 0).toBeGreaterThan(0);
    expect(Object.keys(onTheLine.counts).some((status) => connectedCallStatuses.includes(status))).toBe(true);
    const stopAt = requestsTo(harness, 'POST', new RegExp(`^/batches/${result.batchId}/stop$`))[0]!.at;
    const pollsAfterStop = requestsTo(harness, 'GET', new RegExp(`^/batches/${result.batchId}$`)).filter(
      (poll) => poll.at > stopAt,
    );
    expect(pollsAfterStop.length).toBeGreaterThan(1);
  } finally {
    harness.simulator.settings.variants.stopEffect = 'ends-calls';
  }
});
