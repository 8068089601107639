import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { DefaultLogger } from '@temporalio/worker';
import type { LogEntry } from '@temporalio/worker';
import { batchCampaign } from '../../src/workflows/batch-campaign';
import { progressQuery } from '../../src/workflows/definitions';
import type { CampaignState } from '../../src/workflows/definitions';
import { lifelikeCalls } from '../support/constants';
import { waitFor } from '../support/wait-for';
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
 * A campaign's identity across runs: what it leaves behind is unique per run chain (continue-as-new keeps it, a
 * new start under the same ID does not), the state carried across continue-as-new cannot be forged by a start,
 * and continuing as new is not a failure.
 */

const logs: string[] = [];
let harness: WorkflowHarness;

beforeAll(async () => {
  const capture = new DefaultLogger('INFO', (entry: LogEntry) => logs.push(entry.message));
  harness = await startWorkflowHarness({ calls: lifelikeCalls }, capture);
  await harness.runWorker();
});

afterAll(async () => {
  await harness?.close();
});

test('workflow IDs that differ only in characters a file name cannot take get folders and uploads of their own', async () => {
  const ids = ['campaign-a b', 'campaign-a:b'].map((id) => `${id}-${Date.now()}`);
  const handles = await Promise.all(
    ids.map(async (id) => startCampaignWorkflow(harness, id, await campaignInput(harness, 2))),
  );
  const results = [];
  for (const handle of handles) results.push(await handle.result());

  const [first, second] = results.map((result) => result.files!.jsonl);
  expect(first).not.toBe(second);
  for (const [index, handle] of handles.entries()) {
    expect(basename(dirname(results[index]!.files!.jsonl))).toContain(handle.firstExecutionRunId);
    expect((await readFile(results[index]!.files!.jsonl, 'utf8')).trim().split('\n')).toHaveLength(2);
  }
  const uploads = results.map((result) => harness.simulator.batches.find(result.batchId!)?.fileName);
  expect(new Set(uploads).size).toBe(2);
  expect(uploads[0]).toContain(handles[0]!.firstExecutionRunId);
});

test('a start that carries `resume` is refused before anything reaches Bolna', async () => {
  const forged: CampaignState = {
    phase: 'collecting',
    batchId: '0123456789abcdef0123456789abcdef',
    counts: {},
    stopRequested: false,
  };
  const before = harness.simulator.requests.length;
  const handle = await startCampaignWorkflow(harness, uniqueWorkflowId(), {
    ...(await campaignInput(harness, 1)),
    resume: forged,
  });
  const failure = applicationFailureOf(await handle.result().catch((error: unknown) => error));
  expect(failure).toMatchObject({ type: 'InvalidCampaignInput', nonRetryable: true });
  expect(failure?.message).toMatch(/resume/);
  expect(harness.simulator.requests.length).toBe(before);
});

test('continuing as new is not a failure: the closed runs end running, with no error', async () => {
  logs.length = 0;
  const id = uniqueWorkflowId();
  const handle = await harness.env.client.workflow.start(batchCampaign, {
    workflowId: id,
    taskQueue: 'test-campaigns',
    args: [await campaignInput(harness, 6, { pollIntervalSeconds: 10, maxHistoryEvents: 40 })],
  });
  const result = await handle.result();
  expect(result.outcome).toBe('completed');
  expect(requestsTo(harness, 'POST', /^\/batches$/).filter((r) => r.status === 201).length).toBeGreaterThan(
    0,
  );

  const firstRun = harness.env.client.workflow.getHandle(id, handle.firstExecutionRunId);
  expect((await firstRun.describe()).status.name).toBe('CONTINUED_AS_NEW');
  const lastProgressOfFirstRun = await firstRun.query(progressQuery);
  expect(lastProgressOfFirstRun.phase).toBe('running');
  expect(lastProgressOfFirstRun.error).toBeUndefined();
  // Workflow log lines reach the worker's logger after the workflow task that wrote them, which can be after the
  // client has the result: wait for the last run's line, then check that no run logged a failure.
  await waitFor('the last run to log its completion', () => logs.includes('Campaign phase: completed'), {
    timeoutMs: 10_000,
    intervalMs: 50,
  });
  expect(logs).not.toContain('Campaign phase: failed');
});
