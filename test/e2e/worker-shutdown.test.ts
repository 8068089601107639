import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { LoggedRequest } from '../../simulator/server';
import { buildWorkflowBundles } from '../../src/temporal/workflow-bundle';
import type { batchCampaign } from '../../src/workflows/batch-campaign';
import { workflowType } from '../../src/workflows/definitions';
import type { CampaignResult } from '../../src/workflows/definitions';
import { contactsCsv, fewSecondCalls } from '../support/constants';
import { startDevStack } from '../support/dev-stack';
import type { DevStack } from '../support/dev-stack';
import { waitFor } from '../support/wait-for';
import { readJsonLines, spawnWorker } from '../support/worker-process';
import type { WorkerProcess } from '../support/worker-process';
import { waitForPhase } from '../support/workflow-steps';

/**
 * A deploy, end to end: two `npm run worker` processes (each from the prebuilt workflow bundle, as the Docker image
 * runs them) share a task queue and a results folder, and the one running the campaign's current step gets
 * SIGTERM, as `docker compose up` replacing a container or `docker stop` sends. It must finish that step, exit
 * cleanly (code 0), and leave the campaign to the other worker, which completes it with one batch and a result for
 * every row.
 */

const rows = 4;
/** How long the simulator holds the step's request: time to find the worker running it and signal it. */
const heldRequestMs = 3_000;
/** The worker's shutdown grace (src/worker.ts): a step still running after it is cancelled. */
const shutdownGraceMs = 10_000;

let stack: DevStack;
let csvPath: string;
let bundleFolder: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  stack = await startDevStack({
    name: 'worker-shutdown',
    // Calls of a few seconds, two at a time: the batch runs for about 8 s.
    simulator: {
      calls: fewSecondCalls,
    },
  });
  csvPath = join(stack.workDir, 'contacts.csv');
  writeFileSync(csvPath, contactsCsv(rows));
  // What `npm run build:workflow-bundle` writes into the image.
  bundleFolder = join(stack.workDir, 'workflow-bundle');
  await buildWorkflowBundles(bundleFolder);
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.kill()));
  await stack?.close();
}, 60_000);

/** The process group a process belongs to (Linux /proc), to tell which spawned worker a Temporal identity is. */
function processGroupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

/** The worker whose process (`<pid>@<host>`, the SDK's default identity) runs the campaign's pending activity. */
async function workerRunningActivity(
  handle: WorkflowHandle<typeof batchCampaign>,
  pair: WorkerProcess[],
): Promise<{ worker: WorkerProcess; pid: number; activity: string }> {
  return waitFor('the pending activity to name its worker', async () => {
    const { raw } = await handle.describe();
    for (const pending of raw.pendingActivities ?? []) {
      const pid = Number(/^(\d+)@/.exec(pending.lastWorkerIdentity ?? '')?.[1]);
      const worker = pair.find((candidate) => processGroupOf(pid) === candidate.pid);
      if (worker) return { worker, pid, activity: pending.activityType?.name ?? '' };
    }
    return undefined;
  });
}

interface Outcome {
  result: CampaignResult;
  activityAtSigterm: string;
  held: LoggedRequest;
  exit: { code: number | null; signal: NodeJS.Signals | null };
  sigtermAt: number;
  exitedAt: number;
  completedAt: number;
  stoppedOutput: string;
  otherAlive: boolean;
  agentId: string;
  workflowId: string;
}

/**
 * Runs one campaign on two workers and SIGTERMs the one running the step whose request `heldPath` names, which the
 * simulator holds for `holdMs`.
 */
async function sigtermDuring(
  scenario: string,
  heldPath: (batchId: string) => string,
  holdMs = heldRequestMs,
): Promise<Outcome> {
  const stamp = Date.now().toString(36);
  const taskQueue = `worker-shutdown-${scenario}-${stamp}`;
  const workflowId = `worker-shutdown-${scenario}-${stamp}`;
  const agentId = randomUUID();
  const env = {
    ...stack.workerEnv(taskQueue, join(stack.workDir, 'results')),
    BOLNA_WORKFLOW_BUNDLE: bundleFolder,
  };
  const pair = ['a', 'b'].map((name) => spawnWorker(`${scenario}-${name}`, env));
  workers.push(...pair);
  await Promise.all(pair.map((worker) => worker.ready()));
  try {
    const handle = await stack.client.workflow.start<typeof batchCampaign>(workflowType, {
      workflowId,
      taskQueue,
      args: [{ agentId, csv: csvPath, pollIntervalSeconds: 1 }],
    });
    const { batchId } = await waitForPhase(handle, 'waiting', { timeoutMs: 60_000, intervalMs: 200 });
    const path = heldPath(batchId!);
    const logIndex = stack.simulator.requests.length;
    stack.simulator.injectFault({ kind: 'latency', method: 'GET', path, latencyMs: holdMs });
    const held = await waitFor(`the held GET ${path}`, () =>
      stack.simulator.requests.find(
        (request, index) => index >= logIndex && request.path === path && request.status === 'pending',
      ),
    );
    const { worker: stopped, pid, activity } = await workerRunningActivity(handle, pair);
    const other = pair.find((worker) => worker !== stopped)!;

    // To the worker's node process alone, as Docker (with `init: true`) delivers it; tsx, its parent here, then
    // exits with the worker's own exit code.
    const sigtermAt = Date.now();
    process.kill(pid, 'SIGTERM');
    const exit = await stopped.exited;
    await waitFor(`every process of worker ${stopped.label} to exit`, () => !stopped.isAlive());
    const exitedAt = Date.now();
    const result = await handle.result();
    return {
      result,
      activityAtSigterm: activity,
      held,
      exit,
      sigtermAt,
      exitedAt,
      completedAt: Date.now(),
      stoppedOutput: stopped.output(),
      otherAlive: other.isAlive(),
      agentId,
      workflowId,
    };
  } catch (error) {
    const output = pair.map((worker) => `--- worker ${worker.label} ---\n${worker.output()}`).join('\n');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${output}`, { cause: error });
  }
}

/** Completed, one batch and one create for the campaign, and every row's call in the results. */
async function expectCompleteWithOneBatch(outcome: Outcome): Promise<void> {
  const { result, agentId, workflowId } = outcome;
  expect(result).toMatchObject({ outcome: 'completed', batchStatus: 'completed', totalCalls: rows });
  const batches = stack.simulator.batches
    .list()
    .filter((batch) => batch.agentId === agentId || batch.fileName.startsWith(`${workflowId}-`));
  expect(batches.map((batch) => batch.batchId)).toEqual([result.batchId]);
  const creates = stack.simulator.requests.filter(
    (request) =>
      request.method === 'POST' && request.path === '/batches' && request.fields?.agent_id === agentId,
  );
  expect(creates).toHaveLength(1);
  expect([200, 201]).toContain(creates[0]!.status);
  const lines = (await readJsonLines(result.files!.jsonl)) as { id?: string }[];
  expect(new Set(lines.map((line) => line.id))).toEqual(new Set(batches[0]!.executionIds));
  expect(lines).toHaveLength(rows);
}

/** The worker shut down cleanly: it finished the held step (answered, not cut off) and exited 0 before the end. */
function expectCleanShutdown(outcome: Outcome): void {
  expect(outcome.exit).toEqual({ code: 0, signal: null });
  expect(outcome.held.status).toBe(200);
  expect(outcome.exitedAt).toBeLessThan(outcome.completedAt);
  expect(outcome.otherAlive).toBe(true);
  expect(outcome.stoppedOutput).not.toMatch(/"level":"(ERROR|error)"|GracefulShutdownPeriodExpired/);
}

test('SIGTERM to the worker polling a running batch: the poll finishes, the other worker completes the campaign', async () => {
  const outcome = await sigtermDuring('running', (batchId) => `/batches/${batchId}`);
  expect(outcome.activityAtSigterm).toBe('getBatch');
  expectCleanShutdown(outcome);
  await expectCompleteWithOneBatch(outcome);
  // Polling went on after the stopped worker had gone: only the other worker was left to do it.
  const later = stack.simulator.requests.filter(
    (request) => request.at > outcome.exitedAt && request.path === `/batches/${outcome.result.batchId}`,
  );
  expect(later.length).toBeGreaterThan(0);
}, 180_000);

test('SIGTERM to the worker collecting the results: the download finishes once, the other worker ends the campaign', async () => {
  const outcome = await sigtermDuring('collecting', (batchId) => `/batches/${batchId}/executions`);
  expect(outcome.activityAtSigterm).toBe('collectResults');
  expectCleanShutdown(outcome);
  await expectCompleteWithOneBatch(outcome);
  // A graceful stop lets the download end: it is not cut off and repeated, as after a crash.
  const downloads = stack.simulator.requests.filter(
    (request) => request.path === `/batches/${outcome.result.batchId}/executions`,
  );
  expect(downloads).toHaveLength(1);
}, 180_000);

test('SIGTERM during a download that outlasts the shutdown grace: the worker gives it up then, and the other does it again', async () => {
  // Held well past the grace: a worker that waited for it would still be running when it is answered.
  const holdMs = 3 * shutdownGraceMs;
  const outcome = await sigtermDuring('past-grace', (batchId) => `/batches/${batchId}/executions`, holdMs);
  expect(outcome.activityAtSigterm).toBe('collectResults');
  // Out within the grace and a little more, not after the held request: the download was aborted at the grace.
  expect(outcome.exit).toEqual({ code: 0, signal: null });
  expect(outcome.exitedAt - outcome.sigtermAt).toBeLessThan(shutdownGraceMs + 5_000);
  expect(outcome.otherAlive).toBe(true);
  await expectCompleteWithOneBatch(outcome);
  // Given up once and done again by the other worker, soon after: not after the held answer or a heartbeat timeout.
  const downloads = stack.simulator.requests.filter(
    (request) => request.path === `/batches/${outcome.result.batchId}/executions`,
  );
  expect(downloads).toHaveLength(2);
  expect(downloads[1]!.at - outcome.sigtermAt).toBeLessThan(holdMs);
}, 180_000);
