import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { bolnaQueueRates } from '../../src/temporal/bolna-budget';
import { batchCampaign } from '../../src/workflows/batch-campaign';
import { bolnaTaskQueues } from '../../src/workflows/definitions';
import { contactsCsv, testAgentId } from '../support/constants';
import { startDevStack } from '../support/dev-stack';
import type { DevStack } from '../support/dev-stack';
import { spawnWorker } from '../support/worker-process';
import type { WorkerProcess } from '../support/worker-process';
import { waitForPhase } from '../support/workflow-steps';

/**
 * Bolna's rate limit as a budget two worker processes share, on the real dev server. The budget is scaled down (180
 * requests a minute) and the simulator enforces exactly that figure, so any minute over it earns a 429. The
 * campaigns poll every second: unlimited, their polls alone would ask for 480 a minute.
 *
 * The server has one partition per task queue here, not the default four. It splits a queue's rate over its
 * partitions, each with its own bucket, so with four a task waits for its partition's turn (up to four of the
 * queue's turns) whatever else is queued: a create's wait would tell nothing about what it waited behind.
 */

const budgetPerMinute = 180;
const campaigns = 8;
/** Calls of 20 s, one at a time: each batch runs for a minute or more, long enough for every campaign to be polling. */
const calls = {
  concurrency: 1,
  spacingMs: 100,
  dialMs: 200,
  ringMs: 300,
  talkMs: 20_000,
  postProcessingMs: 1_000,
  outcomes: { completed: 1 },
};

let stack: DevStack;
const workers: WorkerProcess[] = [];
const taskQueue = `rate-limit-${process.pid}`;

beforeAll(async () => {
  stack = await startDevStack({
    name: 'rate-limit',
    simulator: {
      calls,
      rateLimit: { requestsPerMinute: budgetPerMinute, v2RequestsPerMinute: budgetPerMinute },
    },
    dynamicConfig: { 'matching.numTaskqueueReadPartitions': 1, 'matching.numTaskqueueWritePartitions': 1 },
  });
  for (const label of ['a', 'b']) {
    const env = {
      ...stack.workerEnv(taskQueue, join(stack.workDir, `results-${label}`)),
      BOLNA_RATE_LIMIT_PER_MINUTE: String(budgetPerMinute),
    };
    workers.push(spawnWorker(label, env));
  }
  await Promise.all(workers.map((worker) => worker.ready()));
}, 180_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await stack?.close();
}, 60_000);

test('two workers share the budget: no minute above it and no 429, and a create does not wait behind queued polls', async () => {
  const start = async (index: number) => {
    const csv = join(stack.workDir, `campaign-${index}.csv`);
    await writeFile(csv, contactsCsv(3));
    return stack.client.workflow.start(batchCampaign, {
      workflowId: `campaign-rate-limit-${process.pid}-${index}`,
      taskQueue,
      args: [{ agentId: testAgentId, csv, pollIntervalSeconds: 1 }],
    });
  };
  const handles = await Promise.all(Array.from({ length: campaigns }, (_, index) => start(index)));
  for (const handle of handles)
    await waitForPhase(handle, 'running', { timeoutMs: 120_000, intervalMs: 500 });
  // Every campaign is polling now, with a poll queued behind the others': one more campaign is started.
  const late = await start(campaigns);
  const results = await Promise.all([...handles, late].map((handle) => handle.result()));
  expect(results.map((result) => result.outcome)).toEqual(results.map(() => 'completed'));

  const requests = stack.simulator.requests;
  expect(requests.filter((request) => request.status === 429).length).toBe(0);
  const busiestMinute = mostInAnyMinute(requests.map((request) => request.at));
  expect(busiestMinute).toBeLessThanOrEqual(budgetPerMinute);

  const histories = await Promise.all([...handles, late].map(activityStarts));
  // Both workers took part in calling Bolna, so the budget held for the two together.
  const bolnaQueues = Object.values(bolnaTaskQueues(taskQueue));
  const identities = new Set(
    histories.flat().flatMap((start) => (bolnaQueues.includes(start.taskQueue) ? [start.identity] : [])),
  );
  expect(identities.size).toBe(2);

  // When the late campaign asked to create its batch, polls were queued on theirs: had the create shared their
  // queue, it would have waited for every one of them. It waited only for its own queue's turn (its access check
  // took the one before), which the polls' backlog did not delay.
  const lateCreate = histories.at(-1)!.find((start) => start.type === 'createBatch')!;
  const pollsQueued = histories
    .flat()
    .filter(
      (start) =>
        start.type === 'getBatch' &&
        start.scheduledAtMs <= lateCreate.scheduledAtMs &&
        start.startedAtMs > lateCreate.scheduledAtMs,
    ).length;
  const rates = bolnaQueueRates(budgetPerMinute);
  const pollTurnMs = 1000 / rates.pollsPerSecond;
  const callTurnMs = 1000 / rates.callsPerSecond;
  console.log(
    `Rate limit, ${budgetPerMinute}/min over two workers: busiest minute ${busiestMinute} requests, ` +
      `${requests.length} in all; ${pollsQueued} polls were queued (${Math.round(pollsQueued * pollTurnMs)} ms of ` +
      `turns) when the late create was scheduled, and it waited ${lateCreate.waitMs} ms (a turn: ${Math.round(callTurnMs)} ms)`,
  );
  expect(pollsQueued).toBeGreaterThanOrEqual(3);
  expect(lateCreate.waitMs).toBeLessThan(Math.min(pollsQueued * pollTurnMs, 2 * callTurnMs));
}, 600_000);

/** The most requests that arrived within any 60 s (the simulator's sliding window). */
function mostInAnyMinute(arrivals: readonly number[]): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (const [last, at] of sorted.entries()) {
    while (sorted[first]! <= at - 60_000) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

interface ActivityStart {
  type: string;
  taskQueue: string;
  identity: string;
  /** Server times: when the workflow scheduled it, when a worker started it. */
  scheduledAtMs: number;
  startedAtMs: number;
  /** From being scheduled to being started by a worker. */
  waitMs: number;
}

/** Every activity the campaign ran: its type, queue, the worker that ran it and how long it waited to start. */
async function activityStarts(handle: WorkflowHandle<typeof batchCampaign>): Promise<ActivityStart[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  const timeOf = (event: temporal.api.history.v1.IHistoryEvent) =>
    Number(event.eventTime?.seconds ?? 0) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6);
  return events.flatMap((event) => {
    const started = event.activityTaskStartedEventAttributes;
    if (!started) return [];
    const scheduled = events.find((other) => Number(other.eventId) === Number(started.scheduledEventId));
    const attributes = scheduled?.activityTaskScheduledEventAttributes;
    if (!scheduled || !attributes) return [];
    return [
      {
        type: attributes.activityType?.name ?? '',
        taskQueue: attributes.taskQueue?.name ?? '',
        identity: started.identity ?? '',
        scheduledAtMs: timeOf(scheduled),
        startedAtMs: timeOf(event),
        waitMs: timeOf(event) - timeOf(scheduled),
      },
    ];
  });
}
