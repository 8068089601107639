import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { stopCampaign } from '../../src/campaigns';
import { exitCodes } from '../../src/cli';
import { describeStop } from '../../src/cli/output';
import { progressQuery, stopSignal } from '../../src/workflows/definitions';
import { cliSession } from '../support/cli-session';
import { lifelikeCalls } from '../support/constants';
import { waitFor } from '../support/wait-for';
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
 * The stop button's edge cases on the time-skipping server: twice, after the end, and while the create request is
 * still on its way to Bolna (the batch it makes must not be left to call anyone).
 */

let harness: WorkflowHarness;
const taskQueue = 'stop-edge-cases';

beforeAll(async () => {
  harness = await startWorkflowHarness({ calls: { ...lifelikeCalls, concurrency: 2 } });
  await harness.runWorker({ taskQueue });
});

afterAll(async () => {
  await harness?.close();
});

async function start() {
  const workflowId = uniqueWorkflowId('campaign-stop-edge');
  const handle = await startCampaignWorkflow(harness, workflowId, await campaignInput(harness, 3), taskQueue);
  return { handle, workflowId };
}

const creates = () => requestsTo(harness, 'POST', /^\/batches$/);

test('stop twice: the first reason stands and Bolna gets one stop', async () => {
  const { handle } = await start();
  await waitForPhase(handle, 'waiting');
  await handle.signal(stopSignal, 'first');
  await handle.signal(stopSignal, 'second');
  const result = await handle.result();
  expect(result).toMatchObject({ outcome: 'stopped', stopReason: 'first' });
  expect(requestsTo(harness, 'POST', new RegExp(`^/batches/${result.batchId}/stop$`))).toHaveLength(1);
});

test('stop after completion is refused by Temporal, and our CLI says there is nothing to stop', async () => {
  const { handle, workflowId } = await start();
  const result = await handle.result();
  expect(result.outcome).toBe('completed');
  await expect(handle.signal(stopSignal, 'too late')).rejects.toThrow(/completed/i);

  const cli = cliSession(harness.env.client);
  try {
    expect(await cli.run('stop', workflowId)).toBe(exitCodes.ok);
    expect(cli.printed.pop()).toBe(`Batch campaign ${workflowId} already ended (completed); nothing to stop`);
    expect(await cli.run('stop', workflowId, '--json')).toBe(exitCodes.ok);
    expect(JSON.parse(cli.printed.pop()!)).toEqual({
      workflowId,
      kind: 'batch',
      stopRequested: false,
      status: 'COMPLETED',
    });
  } finally {
    cli.restore();
  }
  expect(requestsTo(harness, 'POST', new RegExp(`^/batches/${result.batchId}/stop$`))).toHaveLength(0);
});

test('stop while the results are being collected: nothing left to stop, said so, and the outcome stays completed', async () => {
  // Hold the download long enough (in real time) to stop the campaign while it runs.
  harness.simulator.injectFault({ method: 'GET', path: /\/executions$/, kind: 'latency', latencyMs: 1_500 });
  const { handle, workflowId } = await start();
  const finishing = handle.result();
  await waitForPhase(handle, 'collecting');
  const stop = await stopCampaign(handle, 'too late');
  const result = await finishing;

  expect(stop).toEqual({ workflowId, kind: 'batch', stopRequested: false, phase: 'collecting' });
  expect(describeStop(stop)).toBe(`Batch campaign ${workflowId} is already collecting: nothing left to stop`);
  expect(result.outcome).toBe('completed');
  expect(result.stopReason).toBeUndefined();
  expect(result.warnings).toEqual(['a stop (too late) arrived while collecting: nothing left to stop']);
  expect(requestsTo(harness, 'POST', new RegExp(`^/batches/${result.batchId}/stop$`))).toHaveLength(0);
});

describe.each(['stop', 'cancel'] as const)('%s while the create request is in flight', (how) => {
  test('the batch created after it is stopped or deleted, never scheduled, and made once', async () => {
    harness.simulator.injectFault({ method: 'POST', path: '/batches', kind: 'latency', latencyMs: 1_500 });
    const createsBefore = creates().length;
    const { handle } = await start();
    await waitFor('the create request', () => creates().length > createsBefore, {
      timeoutMs: 20_000,
      intervalMs: 25,
    });
    if (how === 'stop') await handle.signal(stopSignal, 'wrong agent');
    else await handle.cancel();

    const outcome = await handle.result().catch((error: unknown) => error);
    if (how === 'stop') {
      expect(outcome).toMatchObject({ outcome: 'stopped', stopReason: 'wrong agent' });
    } else {
      expect(outcome).toBeInstanceOf(WorkflowFailedError);
      expect((outcome as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    }
    const progress = await handle.query(progressQuery);
    expect(progress.phase).toBe('stopped');
    expect(creates().length - createsBefore).toBe(1);
    const batchId = progress.batchId!;
    expect(batchId).toMatch(/^[0-9a-f]{32}$/);
    expect(requestsTo(harness, 'POST', new RegExp(`^/batches/${batchId}/schedule$`))).toHaveLength(0);
    expect(requestsTo(harness, 'POST', new RegExp(`^/batches/${batchId}/stop$`))).toHaveLength(1);
    const batch = harness.simulator.batches.list().find((b) => b.batchId === batchId)!;
    const now = await harness.clock.now();
    const gone =
      batch.deletedAtMs !== undefined || harness.simulator.batches.status(batch, now) === 'stopped';
    expect(gone).toBe(true);
  });
});
