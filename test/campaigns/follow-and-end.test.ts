import { followCampaign, startCampaign, waitForEnd } from '../../src/campaigns';
import type { CampaignHandle } from '../../src/campaigns';
import { stopSignal } from '../../src/workflows/definitions';
import type { CampaignInput, CampaignPhase, CampaignProgress } from '../../src/workflows/definitions';
import { contactsCsv, testAgentId as agentId } from '../support/constants';
import { startWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';

/**
 * The library's view of a campaign over time, on the time-skipping server: following it to its end with progress
 * callbacks, and reading how it ended (a cancel reads as stopped).
 */

let harness: WorkflowHarness;
let counter = 0;
const taskQueue = 'follow-and-end';

beforeAll(async () => {
  harness = await startWorkflowHarness({
    calls: { concurrency: 2, ringMs: 10_000, talkMs: 60_000, postProcessingMs: 150_000 },
  });
  await harness.runWorker({ taskQueue });
});

afterAll(async () => {
  await harness?.close();
});

async function start(extra: Partial<CampaignInput> = {}): Promise<CampaignHandle> {
  counter += 1;
  const csv = await harness.writeCsv(`follow-${counter}.csv`, contactsCsv(3));
  const input = { agentId, csv, pollIntervalSeconds: 30, ...extra };
  const { handle } = await startCampaign({
    client: harness.env.client,
    input,
    name: `follow-${counter}`,
    taskQueue,
  });
  return handle;
}

/**
 * A start a day ahead of the test server's clock (which the first test moves far past the machine's): the campaign
 * waits until the test ends it.
 */
const muchLater = async () => new Date((await harness.clock.now()) + 24 * 3_600_000).toISOString();

/** Follows the campaign until it is in `phase`. */
async function waitForPhase(handle: CampaignHandle, phase: CampaignPhase): Promise<void> {
  const reached = new AbortController();
  const last = await followCampaign(handle, {
    intervalMs: 25,
    signal: reached.signal,
    onProgress: (progress) => {
      if (progress.phase === phase) reached.abort();
    },
  }).catch((error: unknown) => {
    if (reached.signal.aborted) return undefined;
    throw error;
  });
  if (last) throw new Error(`${handle.workflowId} ended in phase ${last.phase} before reaching ${phase}`);
}

const phaseOrder: CampaignPhase[] = [
  'validating',
  'creating',
  'scheduling',
  'waiting',
  'running',
  'collecting',
  'completed',
];

test('followCampaign hands over progress until the workflow closes, in phase order, ending with the last state', async () => {
  const handle = await start();
  const seen: CampaignProgress[] = [];
  // Awaiting the result is what lets the test server skip time (to the start, between polls).
  const [last, ending] = await Promise.all([
    followCampaign(handle, { intervalMs: 20, onProgress: (progress) => seen.push(progress) }),
    waitForEnd(handle),
  ]);

  expect(last).toBe(seen.at(-1));
  expect(last).toMatchObject({ phase: 'completed', summary: { totalCalls: 3 } });
  const phases = seen.map((progress) => phaseOrder.indexOf(progress.phase));
  expect(phases).not.toContain(-1);
  expect(phases).toEqual([...phases].sort((a, b) => a - b));
  expect(ending).toMatchObject({ how: 'returned', outcome: 'completed', result: { totalCalls: 3 } });
});

test('an aborted follow rejects with the reason at once, and hands over nothing more; the campaign goes on', async () => {
  const handle = await start({ startAt: await muchLater() });
  await waitForPhase(handle, 'waiting');
  const controller = new AbortController();
  let calls = 0;
  const following = followCampaign(handle, {
    // Far longer than the test's timeout: only the abort can end the pause between looks.
    intervalMs: 10 * 60_000,
    signal: controller.signal,
    onProgress: () => {
      calls += 1;
      controller.abort(new Error('the operator pressed Ctrl-C'));
    },
  });
  await expect(following).rejects.toThrow('the operator pressed Ctrl-C');
  expect(calls).toBe(1);
  expect((await handle.describe()).status.name).toBe('RUNNING');
  await handle.terminate('test over');
});

test('waitForEnd reads a cancelled campaign as stopped, and a terminated one as failed, saying why', async () => {
  const cancelled = await start({ startAt: await muchLater() });
  await waitForPhase(cancelled, 'waiting');
  await cancelled.cancel();
  expect(await waitForEnd(cancelled)).toEqual({ how: 'cancelled', outcome: 'stopped' });
  // Cancelling did what a stop does: the batch was stopped.
  expect(await followCampaign(cancelled, { onProgress: () => undefined })).toMatchObject({
    phase: 'stopped',
  });

  const terminated = await start({ startAt: await muchLater() });
  await waitForPhase(terminated, 'waiting');
  await terminated.terminate('wrong list');
  expect(await waitForEnd(terminated)).toEqual({ how: 'failed', outcome: 'failed', reason: 'wrong list' });
});

test('waitForEnd returns the result of a campaign stopped by the stop signal', async () => {
  const handle = await start({ startAt: await muchLater() });
  await waitForPhase(handle, 'waiting');
  await handle.signal(stopSignal, 'not today');
  expect(await waitForEnd(handle)).toMatchObject({
    how: 'returned',
    outcome: 'stopped',
    result: { outcome: 'stopped', stopReason: 'not today' },
  });
});
