import { Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { CampaignActivities } from '../../src/activities';
import { WorkerGroup } from '../../src/temporal/worker-group';
import { batchCampaign } from '../../src/workflows/batch-campaign';
import { bolnaTaskQueues, progressQuery, stopSignal } from '../../src/workflows/definitions';
import type { CampaignInput, CampaignState, CsvFacts } from '../../src/workflows/definitions';
import { testAgentId as agentId } from '../support/constants';
import { installQuietRuntime } from '../support/quiet-runtime';
import { sharedWorkflowBundle } from '../support/workflow-bundle';
import { startTimeSkippingServer } from '../support/workflow-harness';
import { applicationFailureOf, uniqueWorkflowId, waitForPhase } from '../support/workflow-steps';

/**
 * The workflow's own phase logic on the time-skipping server, with activities that are plain functions giving
 * canned answers: which cleanup a stop leads to in each phase, what an unknown status and the running deadline do,
 * what continue-as-new carries, and that a start cannot forge the carried state. Nothing here needs Bolna's
 * behaviour, so nothing goes through the simulator; the tests in this folder that do need it use it.
 */

const minute = 60_000;
const batchId = '0123456789abcdef0123456789abcdef';
const csvFacts: CsvFacts = {
  rows: 3,
  variableColumns: ['name'],
  cleanCsvPath: '/stub/contacts.csv',
  sha256: 'f'.repeat(64),
};

let env: TestWorkflowEnvironment;
let workflowBundle: { code: string } | { codePath: string };

beforeAll(async () => {
  // The forged start fails on purpose; its worker log lines would only clutter the output.
  installQuietRuntime();
  env = await startTimeSkippingServer();
  workflowBundle = await sharedWorkflowBundle();
});

afterAll(async () => {
  await env?.teardown();
});

type ActivityName = keyof CampaignActivities;

/** One call of a stub activity, at the time (the test server's) it was scheduled. */
interface Call {
  name: ActivityName;
  at: number;
  args: unknown[];
}

/** Holds an activity in flight until the test releases it, so that a stop can arrive while it runs. */
class Gate {
  readonly arrived: Promise<void>;
  readonly release: () => void;
  readonly #arrive: () => void;
  readonly #released: Promise<void>;

  constructor() {
    let arrive = () => {};
    let release = () => {};
    this.arrived = new Promise((resolve) => (arrive = resolve));
    this.#released = new Promise((resolve) => (release = resolve));
    this.#arrive = arrive;
    this.release = release;
  }

  async pass(): Promise<void> {
    this.#arrive();
    await this.#released;
  }
}

/**
 * A campaign whose activities are stubs, served by a worker on a task queue of its own. Polls report `statuses`,
 * one per poll, the last one for every poll after it; the batch starts 10 minutes after it is scheduled.
 */
class StubCampaign {
  readonly workflowId = uniqueWorkflowId('campaign-phases');
  readonly taskQueue = `${this.workflowId}-queue`;
  readonly calls: Call[] = [];
  /** How many calls had been made when the stop was sent. */
  callsBeforeStop = 0;
  readonly #gates = new Map<ActivityName, Gate>();

  constructor(readonly statuses: string[] = ['completed']) {}

  /** The batch campaign's activities (the outreach's are not its steps). */
  readonly activities: Omit<
    CampaignActivities,
    'prepareOutreach' | 'planWave' | 'recordWave' | 'measureWave' | 'finishOutreach'
  > = {
    validateCsv: (input) => this.#answer('validateCsv', [input], () => csvFacts),
    checkBolnaAccess: (id) => this.#answer('checkBolnaAccess', [id], () => ({ concurrency: 3 })),
    // Not a step of the campaign's: the time-skipping server has no search attributes to set.
    registeredSearchAttributes: () => Promise.resolve([]),
    createBatch: (input) => this.#answer('createBatch', [input], () => ({ batchId })),
    scheduleBatch: (input) =>
      this.#answer('scheduleBatch', [input], (now) => ({
        scheduledAt: new Date(now + 5 * minute).toISOString(),
        startsAt: new Date(now + 10 * minute).toISOString(),
      })),
    getBatch: (id) => {
      const polls = this.named('getBatch').length;
      const status = this.statuses[Math.min(polls, this.statuses.length - 1)]!;
      return this.#answer('getBatch', [id], (now) => ({
        status,
        counts: {},
        polledAt: new Date(now).toISOString(),
      }));
    },
    stopBatch: (id) => this.#answer('stopBatch', [id], () => ({ stopped: true, deleted: false })),
    collectResults: (input) =>
      this.#answer('collectResults', [input], () => ({
        batchId,
        totalCalls: 3,
        counts: { completed: 3 },
        answered: 3,
        voicemail: 0,
        balanceLow: 0,
        totalDurationSeconds: 90,
        totalCostCents: 27,
        missingRows: 0,
        droppedRows: 0,
        files: { jsonl: '/stub/executions.jsonl', csv: '/stub/executions.csv' },
      })),
  };

  /** The next call of `name` waits in flight until the gate is released. */
  hold(name: ActivityName): Gate {
    const gate = new Gate();
    this.#gates.set(name, gate);
    return gate;
  }

  named(name: ActivityName): Call[] {
    return this.calls.filter((call) => call.name === name);
  }

  start(extra: Partial<CampaignInput> = {}) {
    return env.client.workflow.start(batchCampaign, {
      workflowId: this.workflowId,
      taskQueue: this.taskQueue,
      args: [{ agentId, csv: '/stub/contacts.csv', ...extra }],
    });
  }

  /** Sends the stop button's signal. */
  async stop(handle: WorkflowHandle<typeof batchCampaign>): Promise<void> {
    this.callsBeforeStop = this.calls.length;
    await handle.signal(stopSignal, 'operator stop');
  }

  /** Starts the campaign with a stop already waiting for it (`signalWithStart`). */
  startStopped() {
    this.callsBeforeStop = this.calls.length;
    return env.client.workflow.signalWithStart(batchCampaign, {
      workflowId: this.workflowId,
      taskQueue: this.taskQueue,
      args: [{ agentId, csv: '/stub/contacts.csv' }],
      signal: stopSignal,
      signalArgs: ['operator stop'],
    });
  }

  /** Runs `body` while workers with these stubs serve the campaign's task queue and its Bolna queues. */
  async serve<T>(body: () => Promise<T>): Promise<T> {
    const { calls, polls } = bolnaTaskQueues(this.taskQueue);
    const workers = await Promise.all(
      [this.taskQueue, calls, polls].map((taskQueue) =>
        Worker.create({
          connection: env.nativeConnection,
          taskQueue,
          ...(taskQueue === this.taskQueue ? { workflowBundle } : {}),
          activities: this.activities,
        }),
      ),
    );
    return new WorkerGroup(workers).runUntil(body);
  }

  async #answer<T>(name: ActivityName, args: unknown[], answer: (now: number) => T): Promise<T> {
    const now = Context.current().info.currentAttemptScheduledTimestampMs;
    this.calls.push({ name, at: now, args });
    const gate = this.#gates.get(name);
    this.#gates.delete(name);
    await gate?.pass();
    return answer(now);
  }
}

/**
 * Lets the test server's time pass the batch's start, so the campaign polls. Only just: while an activity is held
 * in flight, the rest of a sleep would pass in real time.
 */
async function crossTheStart(handle: WorkflowHandle<typeof batchCampaign>): Promise<void> {
  const { startsAt } = await waitForPhase(handle, 'waiting');
  await env.sleep(Date.parse(startsAt!) + 1_000 - (await env.currentTimeMs()));
}

interface StopCase {
  phase: string;
  /** Starts the campaign and sends the stop in that phase; returns its handle. */
  stopIn: (campaign: StubCampaign) => Promise<WorkflowHandle<typeof batchCampaign>>;
  /** What the polls report (default: still running). */
  statuses?: string[];
  /** The activities called after the stop was sent, in order. */
  after: ActivityName[];
  outcome: 'stopped' | 'completed';
}

/** Starts the campaign, holds `step` in flight and sends the stop while it runs. */
async function stopDuring(campaign: StubCampaign, step: ActivityName, beforeStep?: typeof crossTheStart) {
  const gate = campaign.hold(step);
  const handle = await campaign.start();
  await beforeStep?.(handle);
  await gate.arrived;
  await campaign.stop(handle);
  gate.release();
  return handle;
}

/** Starts the campaign and sends the stop once it waits for its start, or once it runs. */
async function stopOnceIn(campaign: StubCampaign, phase: 'waiting' | 'running') {
  const handle = await campaign.start();
  if (phase === 'running') await crossTheStart(handle);
  await waitForPhase(handle, phase);
  await campaign.stop(handle);
  return handle;
}

const stops: StopCase[] = [
  {
    phase: 'validating (before the campaign ran at all): nothing created, nothing to stop',
    stopIn: (campaign) => campaign.startStopped(),
    after: [],
    outcome: 'stopped',
  },
  {
    phase:
      'creating (the create in flight): the batch it makes is stopped, never scheduled, nothing to collect',
    stopIn: (campaign) => stopDuring(campaign, 'createBatch'),
    after: ['stopBatch'],
    outcome: 'stopped',
  },
  {
    phase: 'scheduling (the schedule in flight): the scheduled batch is stopped and its calls collected',
    stopIn: (campaign) => stopDuring(campaign, 'scheduleBatch'),
    after: ['stopBatch', 'getBatch', 'collectResults'],
    outcome: 'stopped',
  },
  {
    phase: 'waiting for the start: the batch is stopped and its calls collected',
    stopIn: (campaign) => stopOnceIn(campaign, 'waiting'),
    after: ['stopBatch', 'getBatch', 'collectResults'],
    outcome: 'stopped',
  },
  {
    phase: 'running: the batch is stopped, calls on the line are waited for, and the calls collected',
    stopIn: (campaign) => stopOnceIn(campaign, 'running'),
    after: ['stopBatch', 'getBatch', 'collectResults'],
    outcome: 'stopped',
  },
  {
    phase: 'collecting (the download in flight): nothing left to stop, the campaign completes',
    stopIn: (campaign) => stopDuring(campaign, 'collectResults', crossTheStart),
    statuses: ['completed'],
    after: [],
    outcome: 'completed',
  },
];

test.each(stops)('a stop while $phase', async ({ stopIn, statuses = ['running'], after, outcome }) => {
  const campaign = new StubCampaign(statuses);
  const result = await campaign.serve(async () => (await stopIn(campaign)).result());
  expect(result.outcome).toBe(outcome);
  expect(campaign.calls.slice(campaign.callsBeforeStop).map((call) => call.name)).toEqual(after);
  // Bolna is asked to stop the campaign's batch once, when there is one to stop, and never otherwise.
  expect(campaign.named('stopBatch').map((call) => call.args)).toEqual(
    after.includes('stopBatch') ? [[batchId]] : [],
  );
  if (outcome === 'stopped') expect(result.stopReason).toBe('operator stop');
  else
    expect(result.warnings).toEqual([
      'a stop (operator stop) arrived while collecting: nothing left to stop',
    ]);
});

test('a batch status nobody documented is reported in warnings once, however often it is polled', async () => {
  const campaign = new StubCampaign(['paused', 'paused', 'paused', 'completed']);
  const result = await campaign.serve(async () => (await campaign.start()).result());
  expect(result.outcome).toBe('completed');
  expect(campaign.named('getBatch').length).toBeGreaterThanOrEqual(4);
  expect(result.warnings).toEqual(["Bolna reports batch status 'paused', which its docs do not list"]);
});

test('a batch that never finishes is stopped at the running deadline and ends timed-out, its calls collected', async () => {
  const campaign = new StubCampaign(['running']);
  const { result, progress } = await campaign.serve(async () => {
    const handle = await campaign.start({ runningTimeoutMinutes: 30 });
    return { result: await handle.result(), progress: await handle.query(progressQuery) };
  });
  expect(result.outcome).toBe('timed-out');
  expect(result.stopReason).toBe(`the batch was still running at its deadline (${progress.runningDeadline})`);
  expect(Date.parse(progress.runningDeadline!) - Date.parse(progress.startsAt!)).toBe(30 * minute);
  const [stop, ...moreStops] = campaign.named('stopBatch');
  expect(moreStops).toEqual([]);
  expect(stop!.at).toBeGreaterThanOrEqual(Date.parse(progress.runningDeadline!));
  // Polls every 30 s: the deadline is noticed at the first poll after it.
  expect(stop!.at - Date.parse(progress.runningDeadline!)).toBeLessThanOrEqual(minute / 2);
  expect(campaign.named('collectResults')).toHaveLength(1);
  expect(result.totalCalls).toBe(3);
});

test('continue-as-new carries the state: one validation, one batch, and what the first run learnt', async () => {
  // 40 polls of a running batch, 10 s apart, far past a history of 40 events.
  const campaign = new StubCampaign([...Array<string>(40).fill('running'), 'completed']);
  const { result, firstRunId, lastRunId, progress } = await campaign.serve(async () => {
    const handle = await campaign.start({ pollIntervalSeconds: 10, maxHistoryEvents: 40 });
    const finished = await handle.result();
    const last = env.client.workflow.getHandle(campaign.workflowId);
    return {
      result: finished,
      firstRunId: handle.firstExecutionRunId,
      lastRunId: (await last.describe()).runId,
      progress: await last.query(progressQuery),
    };
  });
  expect(result).toMatchObject({ outcome: 'completed', batchId, totalCalls: 3 });
  expect(lastRunId).not.toBe(firstRunId);
  for (const once of ['validateCsv', 'checkBolnaAccess', 'createBatch', 'scheduleBatch'] as const) {
    expect({ once, calls: campaign.named(once).length }).toEqual({ once, calls: 1 });
  }
  expect(campaign.named('getBatch')).toHaveLength(41);
  // The last run collects with what only the first run learnt: the CSV's columns and rows.
  expect(campaign.named('collectResults').map((call) => call.args[0])).toEqual([
    expect.objectContaining({ batchId, variableColumns: ['name'], expectedRows: 3 }),
  ]);
  expect(progress).toMatchObject({ phase: 'completed', batchId, csv: csvFacts, concurrency: 3 });
});

test('a start that carries `resume` is refused before any activity runs', async () => {
  const forged: CampaignState = { phase: 'collecting', batchId, counts: {}, stopRequested: false };
  const campaign = new StubCampaign();
  const error = await campaign.serve(async () =>
    (await campaign.start({ resume: forged })).result().catch((e: unknown) => e),
  );
  expect(applicationFailureOf(error)).toMatchObject({ type: 'InvalidCampaignInput', nonRetryable: true });
  expect(applicationFailureOf(error)?.message).toMatch(/^resume: /);
  expect(campaign.calls).toEqual([]);
});
