import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { SimulatorSettings } from '../../simulator/server';
import { pendingCalls } from '../../src/bolna/statuses';
import type { CampaignInput, CampaignResult } from '../../src/workflows/definitions';
import { lifelikeCalls } from '../support/constants';
import { startWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';
import { campaignInput, executeCampaignWorkflow, uniqueWorkflowId } from '../support/workflow-steps';

/**
 * Whole campaigns (time-skipping server, Bolna's real rules) on the simulator's readings of Bolna's spec and its
 * own tools: "done" decided from the call counts as well as the batch status (executed before every call is
 * final, Bolna's own retries, failed and canceled batches), rows Bolna dropped, a 429 without Retry-After, and a
 * spec-strict schedule endpoint.
 */

let harness: WorkflowHarness;

beforeAll(async () => {
  harness = await startWorkflowHarness({ calls: lifelikeCalls });
});
afterAll(async () => harness?.close());

interface Conditions {
  variants?: Partial<SimulatorSettings['variants']>;
  calls?: Partial<SimulatorSettings['calls']>;
}

/** Runs one campaign of `rows` contacts with the simulator's settings changed for its duration. */
async function campaignOn(
  conditions: Conditions,
  rows: number,
  extra: Partial<CampaignInput> = {},
): Promise<CampaignResult> {
  const { variants, calls } = harness.simulator.settings;
  const saved = { variants: { ...variants }, calls: { ...calls } };
  Object.assign(variants, conditions.variants);
  Object.assign(calls, conditions.calls);
  try {
    const input = await campaignInput(harness, rows, extra);
    const worker = await harness.newWorker();
    return await worker.runUntil(executeCampaignWorkflow(harness, uniqueWorkflowId('campaign-spec'), input));
  } finally {
    Object.assign(variants, saved.variants);
    Object.assign(calls, saved.calls);
    delete variants.batchGivenUp;
    delete calls.retryOutcomes;
  }
}

/** Every call of the mix ends `outcome` (the live settings hold the whole mix). */
function every(outcome: 'completed' | 'no-answer'): SimulatorSettings['calls']['outcomes'] {
  return { completed: 0, 'no-answer': 0, busy: 0, failed: 0, [outcome]: 1 };
}

function requestsOf(batchId: string) {
  return harness.simulator.requests.filter((r) => r.batchId === batchId);
}

/** The batch as the simulator planned it: when it first said it was finished, and when every call was. */
function planOf(batchId: string) {
  const schedule = harness.simulator.batches.find(batchId)?.schedule;
  if (schedule === undefined) throw new Error(`batch ${batchId} was never scheduled`);
  return schedule;
}

async function csvRows(path: string): Promise<Record<string, string>[]> {
  return parse<Record<string, string>>(await readFile(path), { columns: true });
}

test('a batch that says executed before its last calls are final is polled until they are, then collected', async () => {
  const result = await campaignOn(
    {
      variants: { statusNames: 'spec', executedReported: 'before-calls-final' },
      calls: { outcomes: every('completed') },
    },
    5,
  );
  expect(result).toMatchObject({ outcome: 'completed', batchStatus: 'executed', totalCalls: 5 });
  expect(result.counts).toEqual({ completed: 5 });
  const { reportsFinishedAtMs, finishesAtMs } = planOf(result.batchId!);
  expect(reportsFinishedAtMs).toBeLessThan(finishesAtMs);
  const requests = requestsOf(result.batchId!);
  // It saw `executed` with calls in post-processing, and kept polling...
  const polls = requests.filter((r) => r.method === 'GET' && r.path === `/batches/${result.batchId}`);
  expect(polls.some((r) => r.at >= reportsFinishedAtMs && r.at < finishesAtMs)).toBe(true);
  // ... and collected only once every call was final.
  const downloads = requests.filter((r) => r.path.endsWith('/executions'));
  expect(downloads.length).toBeGreaterThan(0);
  for (const download of downloads) expect(download.at).toBeGreaterThanOrEqual(finishesAtMs);
});

test.each(['when-calls-final', 'before-calls-final'] as const)(
  'Bolna’s own retries (retry_config) are waited for and kept in the results (executed reported %s)',
  async (executedReported) => {
    const result = await campaignOn(
      {
        variants: { statusNames: 'spec', executedReported },
        calls: { outcomes: every('no-answer'), retryOutcomes: every('completed') },
      },
      4,
      { retryConfig: { enabled: true, max_retries: 1, retry_intervals_minutes: [30] } },
    );
    expect(result).toMatchObject({
      outcome: 'completed',
      batchStatus: 'executed',
      totalCalls: 4,
      answered: 4,
    });
    expect(result.counts).toEqual({ completed: 4 });
    const rows = await csvRows(result.files!.csv);
    expect(rows.map((row) => row.retry_count)).toEqual(['1', '1', '1', '1']);
    const { finishesAtMs } = planOf(result.batchId!);
    for (const download of requestsOf(result.batchId!).filter((r) => r.path.endsWith('/executions')))
      expect(download.at).toBeGreaterThanOrEqual(finishesAtMs);
  },
);

test.each(['failed', 'canceled'] as const)(
  'a batch Bolna ends as %s ends the campaign: what its calls made is collected, and the result says so',
  async (status) => {
    const result = await campaignOn(
      {
        variants: { batchGivenUp: { status, afterStartMs: 100_000 } },
        calls: { outcomes: every('completed') },
      },
      6,
    );
    expect(result).toMatchObject({ outcome: 'completed', batchStatus: status, totalCalls: 6 });
    expect(result.counts?.canceled).toBeGreaterThan(0);
    expect(pendingCalls(result.counts ?? {})).toBe(0);
    expect(result.warnings).toEqual([
      `Bolna ended the batch as ${status}: the results are of the calls it made`,
    ]);
    // Nothing to stop: Bolna had ended it.
    expect(requestsOf(result.batchId!).filter((r) => r.path.endsWith('/stop'))).toEqual([]);
  },
);

test('rows Bolna dropped at upload are reported in the result as dropped, not missing', async () => {
  const result = await campaignOn({ variants: { droppedContacts: 2 } }, 5);
  expect(result).toMatchObject({ outcome: 'completed', totalCalls: 3, droppedRows: 2, missingRows: 0 });
});

test('a 429 without Retry-After is retried on Temporal’s own backoff', async () => {
  harness.simulator.injectFault({
    method: 'GET',
    path: /^\/batches\/[0-9a-f]{32}$/,
    kind: 'rate-limit',
    retryAfterSeconds: 600,
    times: 2,
  });
  const result = await campaignOn({ variants: { retryAfterHeader: 'omitted' } }, 2);
  expect(result).toMatchObject({ outcome: 'completed', totalCalls: 2 });
  // The first reads of the batch (scheduling reads it first) were refused. A fault is answered before the path
  // is read, so these requests are found by their path.
  const reads = harness.simulator.requests.filter((r) => r.path === `/batches/${result.batchId}`);
  const limited = reads.filter((r) => r.status === 429);
  expect(limited.map((r) => r.retryAfterSeconds)).toStrictEqual([undefined, undefined]);
  // Retried on the activity's own backoff (seconds), not after the 600 s the fault would have asked for.
  const retried = reads[reads.indexOf(limited[1]!) + 1]!;
  expect(retried.status).toBe(200);
  expect(retried.at - limited[0]!.at).toBeLessThan(60_000);
});

test('a schedule endpoint that insists on batch_id in the body (as Bolna’s spec lists it) schedules the batch', async () => {
  const result = await campaignOn({ variants: { scheduleBatchIdField: 'required' } }, 2);
  expect(result).toMatchObject({ outcome: 'completed', totalCalls: 2 });
  const schedules = requestsOf(result.batchId!).filter((r) => r.path.endsWith('/schedule'));
  expect(schedules.map((r) => [r.status, r.fields?.batch_id])).toEqual([[200, result.batchId]]);
});
