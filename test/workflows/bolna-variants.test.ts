import { readFile } from 'node:fs/promises';
import type { SimulatorSettings } from '../../simulator/server';
import type { CampaignResult } from '../../src/workflows/definitions';
import { lifelikeCalls } from '../support/constants';
import { startWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';
import { campaignInput, executeCampaignWorkflow, uniqueWorkflowId } from '../support/workflow-steps';

/**
 * Whole campaigns (time-skipping server, Bolna's real rules) on the simulator's variants of the executions
 * listings and the account endpoint: every row ends up in the results files, or the rows that cannot are
 * reported; a missing account endpoint does not block a campaign whose key works.
 */

let harness: WorkflowHarness;

beforeAll(async () => {
  harness = await startWorkflowHarness({ calls: lifelikeCalls });
});
afterAll(async () => harness?.close());

type Variants = SimulatorSettings['variants'];

/** Runs one campaign of `rows` contacts with the variants changed for its duration. */
async function campaignOn(variants: Partial<Variants>, rows: number): Promise<CampaignResult> {
  const defaults = { ...harness.simulator.settings.variants };
  Object.assign(harness.simulator.settings.variants, variants);
  try {
    const input = await campaignInput(harness, rows);
    const worker = await harness.newWorker();
    return await worker.runUntil(
      executeCampaignWorkflow(harness, uniqueWorkflowId('campaign-variants'), input),
    );
  } finally {
    Object.assign(harness.simulator.settings.variants, defaults);
  }
}

/** The first names in a results file, in row order. */
async function firstNames(jsonlPath: string): Promise<string[]> {
  const lines = (await readFile(jsonlPath, 'utf8')).trim().split('\n');
  return lines
    .map((line) => JSON.parse(line) as { context_details: { recipient_data: { first_name: string } } })
    .map((execution) => execution.context_details.recipient_data.first_name)
    .sort((a, b) => Number(a.split(' ')[1]) - Number(b.split(' ')[1]));
}

const everyone = (rows: number) => Array.from({ length: rows }, (_, i) => `Person ${i}`);

test('executions Bolna pages are all collected', async () => {
  const result = await campaignOn({ executionsEnvelope: 'paged', executionsPageSize: 2 }, 7);
  expect(result).toMatchObject({ outcome: 'completed', totalCalls: 7, missingRows: 0 });
  expect(await firstNames(result.files!.jsonl)).toEqual(everyone(7));
  const downloads = harness.simulator.requests.filter(
    (r) => r.path === `/batches/${result.batchId}/executions`,
  );
  expect(downloads).toHaveLength(4);
});

test('executions the batch listing silently leaves out are collected from the agent’s v2 listing', async () => {
  const result = await campaignOn(
    { omittedExecutions: { count: 2, from: 'batch-listing' }, agentExecutionsWindow: 'required' },
    6,
  );
  expect(result).toMatchObject({ outcome: 'completed', totalCalls: 6, missingRows: 0 });
  expect(await firstNames(result.files!.jsonl)).toEqual(everyone(6));
  expect(harness.simulator.requests.some((r) => r.query.batch_id === result.batchId)).toBe(true);
});

test('rows no listing has are reported missing in the result; the campaign still completes', async () => {
  const result = await campaignOn({ omittedExecutions: { count: 2, from: 'every-listing' } }, 5);
  expect(result).toMatchObject({ outcome: 'completed', totalCalls: 3, missingRows: 2 });
  expect(await firstNames(result.files!.jsonl)).toEqual(everyone(3));
});

test('a campaign runs although the account endpoint is missing: the agent listing proves the key', async () => {
  const result = await campaignOn({ accountEndpoint: 'missing' }, 2);
  expect(result).toMatchObject({ outcome: 'completed', totalCalls: 2, missingRows: 0 });
  const accountChecks = harness.simulator.requests.filter((r) => r.path === '/user/me');
  // Asked once and not retried: the 404 is a warning, not a failure.
  expect(accountChecks.filter((r) => r.status === 404)).toHaveLength(1);
});
