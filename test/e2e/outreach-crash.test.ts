import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { parse } from 'csv-parse/sync';
import { startSimulator } from '../../simulator/server';
import type { LoggedRequest, RunningSimulator, SimulatorOptions } from '../../simulator/server';
import type { LedgerContact } from '../../src/outreach/ledger';
import { progressQuery } from '../../src/workflows/definitions';
import type { CampaignPhase } from '../../src/workflows/definitions';
import type { outreachCampaign } from '../../src/workflows/outreach-campaign';
import {
  outreachProgressQuery,
  outreachWorkflowType,
  pauseSignal,
  resumeSignal,
} from '../../src/workflows/outreach-definitions';
import type {
  OutreachPhase,
  OutreachProgress,
  OutreachResult,
  RetryPolicy,
} from '../../src/workflows/outreach-definitions';
import { contactsCsv, fastRules, fewSecondCalls, testApiKey } from '../support/constants';
import { startDevStack } from '../support/dev-stack';
import type { DevStack } from '../support/dev-stack';
import { waitFor } from '../support/wait-for';
import { readJsonLines, spawnWorker } from '../support/worker-process';
import type { WorkerProcess } from '../support/worker-process';

/**
 * The crash matrix for outreach campaigns, end to end: the real dev server, real worker processes killed with
 * SIGKILL and replaced, and the simulator with shrunk rules (a wave starts 10 to 20 s after it is planned). A worker
 * dies between two waves, while a wave's batch is created, and while a pause stops the running wave; each campaign
 * must still complete with exactly one batch per wave, and every contact in its results exactly once, in a final
 * state, with one attempt for each call the simulator placed to it.
 *
 * The three run side by side, each with its own simulator (so its log, its batches and its scripted faults are its
 * own, and its seeded call outcomes are the same on every run), task queue, agent and results folder.
 */

/** Unanswered calls are tried once more, 30 s after their wave (the shortest `after` is the 10 s rounding here). */
const retry: RetryPolicy = { on: ['no-answer'], maxAttempts: 2, after: '30 seconds' };
/** Half the calls go unanswered: every first wave leaves contacts for a retry wave. */
const halfUnanswered = { completed: 1, 'no-answer': 1 };
/** How long a simulator holds the request a worker is killed in: ample time to see it arrive and kill. */
const heldRequestMs = 4_000;
/**
 * Temporal notices a dead worker's activity when its heartbeat stops (20 s) and retries it after the retry
 * policy's first interval (up to 5 s); the replacement needs a few seconds to start. Above this, heartbeats are
 * broken.
 */
const activityRecoveryBoundMs = 45_000;
/** Call statuses of the final states: nobody may be left waiting once the campaign has completed. */
const finalStates = new Set(['answered', 'exhausted']);

let stack: DevStack;
const simulators: RunningSimulator[] = [];
const workers: WorkerProcess[] = [];
const figures: string[] = [];

beforeAll(async () => {
  stack = await startDevStack({ name: 'outreach-crash' });
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.kill()));
  await Promise.all(simulators.map((simulator) => simulator.close()));
  await stack?.close();
  if (figures.length > 0) console.log(`Outreach crash matrix recovery:\n${figures.join('\n')}`);
}, 60_000);

/** One campaign of the matrix, with its own simulator, workflow, task queue, agent and results folder. */
class Outreach {
  readonly workflowId: string;
  readonly taskQueue: string;
  readonly agentId = randomUUID();
  readonly resultsDir: string;
  readonly workers: WorkerProcess[] = [];
  handle: WorkflowHandle<typeof outreachCampaign> | undefined;

  private constructor(
    readonly scenario: string,
    readonly simulator: RunningSimulator,
    readonly numbers: string[],
    readonly csvPath: string,
  ) {
    const stamp = Date.now().toString(36);
    this.workflowId = `outreach-crash-${scenario}-${stamp}`;
    this.taskQueue = `outreach-crash-${scenario}-${stamp}`;
    this.resultsDir = join(stack.workDir, `results-${scenario}`);
  }

  static async create(
    scenario: string,
    rows: number,
    calls: NonNullable<SimulatorOptions['calls']>,
  ): Promise<Outreach> {
    const simulator = await startSimulator({ apiKey: testApiKey, rules: fastRules, calls });
    simulators.push(simulator);
    const csv = contactsCsv(rows);
    const csvPath = join(stack.workDir, `${scenario}.csv`);
    await writeFile(csvPath, csv);
    const numbers = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]!);
    return new Outreach(scenario, simulator, numbers, csvPath);
  }

  spawnWorker(): WorkerProcess {
    const env = { ...stack.workerEnv(this.taskQueue, this.resultsDir), BOLNA_BASE_URL: this.simulator.url };
    const worker = spawnWorker(`${this.scenario}#${this.workers.length + 1}`, env);
    this.workers.push(worker);
    workers.push(worker);
    return worker;
  }

  async start(): Promise<void> {
    this.handle = await stack.client.workflow.start<typeof outreachCampaign>(outreachWorkflowType, {
      workflowId: this.workflowId,
      taskQueue: this.taskQueue,
      args: [{ agentId: this.agentId, csv: this.csvPath, pollIntervalSeconds: 1, retry }],
    });
  }

  required(): WorkflowHandle<typeof outreachCampaign> {
    if (!this.handle) throw new Error(`${this.scenario} was never started`);
    return this.handle;
  }

  progress(): Promise<OutreachProgress> {
    return this.required().query(outreachProgressQuery);
  }

  /** Waits until the campaign's progress satisfies `test`, and returns it. */
  async reach(what: string, test: (progress: OutreachProgress) => boolean): Promise<OutreachProgress> {
    return waitFor(
      `${this.scenario}: ${what}`,
      async () => {
        const progress = await this.progress();
        return test(progress) ? progress : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 200 },
    );
  }

  /** The child `batchCampaign` of wave `n`: its workflow ID is also the start of its batch's upload name. */
  waveId(n: number): string {
    return `${this.workflowId}-wave-${n}`;
  }

  async wavePhase(n: number): Promise<CampaignPhase> {
    return (await stack.client.workflow.getHandle(this.waveId(n)).query(progressQuery)).phase;
  }

  /** The batches the simulator made for wave `n` (the upload name starts with the wave's workflow ID). */
  batchesOfWave(n: number) {
    return this.simulator.batches.list().filter((batch) => batch.fileName.startsWith(`${this.waveId(n)}-`));
  }

  /** A held request, once it has arrived at the simulator. */
  async arrivalOf(what: string, matches: (request: LoggedRequest) => boolean, fromIndex: number) {
    return waitFor(
      `${this.scenario}: ${what}`,
      () =>
        this.simulator.requests.find(
          (request, i) => i >= fromIndex && request.status === 'pending' && matches(request),
        ),
      { timeoutMs: 120_000, intervalMs: 50 },
    );
  }

  /** The requests that reached the simulator after `atMs` (all of this campaign: the simulator is its own). */
  requestsAfter(atMs: number): LoggedRequest[] {
    return this.simulator.requests.filter((request) => request.at > atMs);
  }

  workerOutput(): string {
    return this.workers.map((worker) => `--- worker ${worker.label} ---\n${worker.output()}`).join('\n');
  }
}

/** A campaign's result, or an error naming it if it fails or takes longer than `timeoutMs`. */
async function resultOf(outreach: Outreach, timeoutMs: number): Promise<OutreachResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      outreach.required().result(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${outreach.workflowId} did not complete: ${message}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * For each number, the batches in which the simulator really placed a call to it (dialled it, whatever came of the
 * call): a call placed before a stop counts, one the stop came before does not.
 */
function placedCalls(outreach: Outreach): Map<string, string[]> {
  const placed = new Map<string, string[]>();
  const nowMs = Date.now();
  for (const batch of outreach.simulator.batches.list()) {
    if (batch.schedule === undefined) continue;
    const column = batch.columns.indexOf('contact_number');
    const endMs = Math.min(nowMs, batch.stopped?.atMs ?? Infinity);
    batch.schedule.calls.forEach((call, index) => {
      const unplaced = call.outcome === 'uncallable' || call.outcome === 'balance-low';
      if (unplaced || call.dialAtMs > endMs) return;
      const number = batch.rows[index]![column]!;
      placed.set(number, [...(placed.get(number) ?? []), batch.batchId]);
    });
  }
  return placed;
}

/**
 * The end the matrix demands: completed; one batch per wave, made by one create request, and no other batch;
 * every contact in `contacts.jsonl` and `contacts.csv` exactly once, in a final state, its attempts exactly the
 * calls the simulator placed to it (nobody called more often than the results say, no call lost).
 */
async function expectEveryContactOnce(outreach: Outreach, result: OutreachResult): Promise<void> {
  expect(result.outcome).toBe('completed');
  expect(result.waves).toBeGreaterThanOrEqual(2);

  const { simulator } = outreach;
  for (let n = 1; n <= result.waves; n += 1) {
    const batches = outreach.batchesOfWave(n);
    expect({ wave: n, batches: batches.length }).toEqual({ wave: n, batches: 1 });
    // 'lost' counts too: the batch was made, only the answer never arrived.
    const creates = simulator.requests.filter(
      (r) =>
        r.method === 'POST' &&
        r.path === '/batches' &&
        r.file?.filename === batches[0]!.fileName &&
        (r.status === 200 || r.status === 201 || r.status === 'lost'),
    );
    expect({ wave: n, creates: creates.length }).toEqual({ wave: n, creates: 1 });
  }
  expect(simulator.batches.size).toBe(result.waves);

  const contacts = (await readJsonLines(result.files!.contactsJsonl)) as LedgerContact[];
  expect(contacts.map((contact) => contact.number).sort()).toEqual([...outreach.numbers].sort());
  const placed = placedCalls(outreach);
  for (const contact of contacts) {
    const seen = {
      number: contact.number,
      state: finalStates.has(contact.state) ? 'final' : contact.state,
      batches: contact.attempts.map((attempt) => attempt.batchId).sort(),
      calls: contact.attempts.reduce((calls, attempt) => calls + attempt.calls, 0),
    };
    const calls = placed.get(contact.number) ?? [];
    expect(seen).toEqual({
      number: contact.number,
      state: 'final',
      batches: [...calls].sort(),
      calls: calls.length,
    });
    expect(contact.attempts.length).toBeLessThanOrEqual(retry.maxAttempts);
  }
  // The campaign meant something: its first wave left some contacts unanswered and reached others.
  const firstStatuses = contacts.flatMap((contact) => contact.attempts.slice(0, 1).map((a) => a.status));
  expect(firstStatuses).toContain('no-answer');
  expect(firstStatuses).toContain('completed');

  const rows = parse<Record<string, string>>(await readFile(result.files!.contactsCsv, 'utf8'), {
    columns: true,
  });
  expect(rows.map((row) => row.contact_number).sort()).toEqual([...outreach.numbers].sort());
  const byNumber = new Map(contacts.map((contact) => [contact.number, contact]));
  for (const row of rows) {
    const contact = byNumber.get(row.contact_number!)!;
    expect({ state: row.state, attempts: row.attempts }).toEqual({
      state: contact.state,
      attempts: String(contact.attempts.length),
    });
  }
  expect(result.contacts.answered + result.contacts.exhausted).toBe(outreach.numbers.length);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** What became of a request held while its worker was killed: never answered, or done with nobody to hear it. */
function heldEnd(request: LoggedRequest): string {
  return request.status === 'pending' ? 'never answered' : `answered ${String(request.status)} to nobody`;
}

type Scenario = 'between-waves' | 'creating-wave' | 'pausing';

interface KillOutcome {
  outreach: Outreach;
  result: OutreachResult;
  /** The campaign's phase when its worker was killed, and its running wave's, if one ran. */
  phaseAtKill: OutreachPhase;
  wavePhaseAtKill?: CampaignPhase;
  killedAt: number;
  completedAt: number;
  killedWorkerGone: boolean;
  replacementAlive: boolean;
  /** What the scenario measured of the recovery, for the table printed at the end. */
  figure: string;
}

/** Starts the campaign's first worker and the campaign; returns the worker. */
async function begin(outreach: Outreach): Promise<WorkerProcess> {
  const first = outreach.spawnWorker();
  await first.ready();
  await outreach.start();
  return first;
}

/** The retry wave's wait: the campaign has recorded its first wave and sleeps until the second may start. */
function waitingForRetryWave(progress: OutreachProgress): boolean {
  return progress.phase === 'waiting' && progress.wavesRun === 1 && progress.nextWave !== undefined;
}

/** Killed while the campaign sleeps between its first wave and the retry wave; nothing is in flight. */
async function killBetweenWaves(outreach: Outreach): Promise<KillOutcome> {
  const first = await begin(outreach);
  const waiting = await outreach.reach('waiting for the retry wave', waitingForRetryWave);
  await first.kill();
  const killedAt = Date.now();
  const second = outreach.spawnWorker();
  const result = await resultOf(outreach, 180_000);
  const completedAt = Date.now();

  const [firstWave] = outreach.batchesOfWave(1);
  const [secondWave] = outreach.batchesOfWave(2);
  const plannedStart = Date.parse(waiting.nextWave!.at);
  const startedAt = secondWave!.schedule!.startsAtMs;
  // The retry delay holds across the crash: the second wave starts no sooner than planned, and at least `after`
  // past the first wave's last call.
  expect(startedAt).toBeGreaterThanOrEqual(plannedStart);
  expect(startedAt - firstWave!.schedule!.finishesAtMs).toBeGreaterThanOrEqual(30_000);
  const created = secondWave!.createdAtMs;
  return {
    outreach,
    result,
    phaseAtKill: waiting.phase,
    killedAt,
    completedAt,
    killedWorkerGone: !first.isAlive(),
    replacementAlive: second.isAlive(),
    figure: `killed between waves: wave 2 created ${seconds(created - killedAt)} after the kill, started ${seconds(startedAt - plannedStart)} after its planned start`,
  };
}

/** Killed while the retry wave's batch is created (the upload held at the simulator). */
async function killWhileCreatingWave(outreach: Outreach): Promise<KillOutcome> {
  const first = await begin(outreach);
  const waiting = await outreach.reach('waiting for the retry wave', waitingForRetryWave);
  // The simulator is this campaign's alone, and its first wave is made: the next upload is the second wave's.
  const logIndex = outreach.simulator.requests.length;
  outreach.simulator.injectFault({
    kind: 'latency',
    method: 'POST',
    path: '/batches',
    latencyMs: heldRequestMs,
  });
  const held = await outreach.arrivalOf(
    "the second wave's held upload",
    (r) => r.method === 'POST' && r.path === '/batches',
    logIndex,
  );
  const phaseAtKill = (await outreach.progress()).phase;
  const wavePhaseAtKill = await outreach.wavePhase(2);
  await first.kill();
  const killedAt = Date.now();
  const second = outreach.spawnWorker();
  const result = await resultOf(outreach, 180_000);
  const completedAt = Date.now();

  // The worker lived through the wait: the retry wave was planned for the start the campaign announced then.
  const { waves } = await outreach.progress();
  expect(waves[1]!.startAt).toBe(waiting.nextWave!.at);
  // The retried create looked for the wave's batch under its upload name before any upload of its own.
  const afterKill = outreach.requestsAfter(killedAt);
  expect(afterKill[0]).toMatchObject({ method: 'GET', path: `/batches/${outreach.agentId}/all` });
  const recovery = afterKill[0]!.at - killedAt;
  expect(recovery).toBeLessThan(activityRecoveryBoundMs);
  return {
    outreach,
    result,
    phaseAtKill,
    wavePhaseAtKill,
    killedAt,
    completedAt,
    killedWorkerGone: !first.isAlive(),
    replacementAlive: second.isAlive(),
    figure: `killed while wave 2 was created (held upload ${heldEnd(held)}): create retried after ${seconds(recovery)}`,
  };
}

/** Killed while a pause stops the running wave (the stop held at the simulator); then resumed. */
async function killWhilePausing(outreach: Outreach): Promise<KillOutcome> {
  const first = await begin(outreach);
  await outreach.reach('calling in the first wave', (p) => p.phase === 'calling' && p.wavesRun === 1);
  // Pause once the wave has placed two calls, so that it stops with calls made and calls not yet made.
  const batch = await waitFor(
    `${outreach.scenario}: two calls of the first wave placed`,
    () => {
      const [made] = outreach.batchesOfWave(1);
      const dialled = made?.schedule?.calls.filter((call) => call.dialAtMs <= Date.now()).length ?? 0;
      return dialled >= 2 ? made : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 100 },
  );
  const stopPath = `/batches/${batch.batchId}/stop`;
  const logIndex = outreach.simulator.requests.length;
  outreach.simulator.injectFault({
    kind: 'latency',
    method: 'POST',
    path: stopPath,
    latencyMs: heldRequestMs,
  });
  await outreach.required().signal(pauseSignal, 'the offer changed');
  const held = await outreach.arrivalOf(
    'the held stop',
    (r) => r.method === 'POST' && r.path === stopPath,
    logIndex,
  );
  const phaseAtKill = (await outreach.progress()).phase;
  const wavePhaseAtKill = await outreach.wavePhase(1);
  await first.kill();
  const killedAt = Date.now();
  const second = outreach.spawnWorker();

  const paused = await outreach.reach(
    'paused after the first wave',
    (p) => p.phase === 'paused' && p.waves[0]?.outcome !== undefined,
  );
  const pausedAt = Date.now();
  expect(paused.pauseReason).toBe('the offer changed');
  expect(paused.waves[0]!.outcome).toBe('stopped');
  // The stop came before some calls: those contacts went back to pending, not counted as attempts.
  expect(paused.contacts.pending).toBeGreaterThan(0);
  // Held: no second wave while paused.
  expect(outreach.simulator.batches.size).toBe(1);
  // The replacement stopped the batch again (the held stop's answer never reached the killed worker).
  const stopsAfterKill = outreach.requestsAfter(killedAt).filter((r) => r.path === stopPath);
  expect(stopsAfterKill.length).toBeGreaterThanOrEqual(1);
  const recovery = stopsAfterKill[0]!.at - killedAt;
  expect(recovery).toBeLessThan(activityRecoveryBoundMs);

  await outreach.required().signal(resumeSignal);
  const result = await resultOf(outreach, 180_000);
  const completedAt = Date.now();
  return {
    outreach,
    result,
    phaseAtKill,
    wavePhaseAtKill,
    killedAt,
    completedAt,
    killedWorkerGone: !first.isAlive(),
    replacementAlive: second.isAlive(),
    figure: `killed while pausing (held stop ${heldEnd(held)}): stop retried after ${seconds(recovery)}, paused ${seconds(pausedAt - killedAt)} after the kill with ${paused.contacts.pending} contacts back to pending and ${paused.contacts.exhausted} call(s) cut short`,
  };
}

interface KillScenario {
  scenario: Scenario;
  title: string;
  rows: number;
  calls: NonNullable<SimulatorOptions['calls']>;
  run: (outreach: Outreach) => Promise<KillOutcome>;
  phaseAtKill: OutreachPhase;
  wavePhaseAtKill?: CampaignPhase;
}

const scenarios: KillScenario[] = [
  {
    scenario: 'between-waves',
    title:
      'between waves (waiting for the retry wave): the replacement runs the retry wave, never before its delay',
    rows: 8,
    calls: { ...fewSecondCalls, outcomes: halfUnanswered },
    run: killBetweenWaves,
    phaseAtKill: 'waiting',
  },
  {
    scenario: 'creating-wave',
    title: "while the retry wave's batch is created (upload held): the retry looks for it first; one create",
    rows: 8,
    calls: { ...fewSecondCalls, outcomes: halfUnanswered },
    run: killWhileCreatingWave,
    phaseAtKill: 'calling',
    wavePhaseAtKill: 'creating',
  },
  {
    scenario: 'pausing',
    title:
      'while a pause stops the running wave (stop held): the wave stops, the campaign pauses and resumes',
    // One line and calls of several seconds: the wave runs for about half a minute, so a pause cuts it short.
    rows: 10,
    calls: { ...fewSecondCalls, concurrency: 1, talkMs: 4_000, outcomes: halfUnanswered },
    run: killWhilePausing,
    phaseAtKill: 'calling',
  },
];

describe('an outreach campaign whose worker is killed with SIGKILL and replaced', () => {
  const outcomes = new Map<
    Scenario,
    Promise<{ ok: true; value: KillOutcome } | { ok: false; error: unknown }>
  >();

  beforeAll(() => {
    for (const { scenario, rows, calls, run } of scenarios) {
      const settled = (async () => {
        const outreach = await Outreach.create(scenario, rows, calls);
        try {
          return await run(outreach);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          throw new Error(`${message}\n${outreach.workerOutput()}`, { cause: error });
        }
      })();
      // Settled at once, so a scenario failing before its test awaits it is not an unhandled rejection.
      outcomes.set(
        scenario,
        settled.then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
      );
    }
  });

  test.each(scenarios)(
    '$title',
    async ({ scenario, phaseAtKill, wavePhaseAtKill }) => {
      const settled = await outcomes.get(scenario)!;
      if (!settled.ok) throw settled.error;
      const outcome = settled.value;
      try {
        expect(outcome.killedWorkerGone).toBe(true);
        expect(outcome.replacementAlive).toBe(true);
        expect(outcome.outreach.workers).toHaveLength(2);
        expect(outcome.phaseAtKill).toBe(phaseAtKill);
        if (wavePhaseAtKill) expect(outcome.wavePhaseAtKill).toBe(wavePhaseAtKill);
        await expectEveryContactOnce(outcome.outreach, outcome.result);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`${message}\n${outcome.outreach.workerOutput()}`, { cause: error });
      }
      figures.push(
        `${outcome.figure}; ${outcome.result.waves} waves, completed ${seconds(outcome.completedAt - outcome.killedAt)} after the kill`,
      );
    },
    240_000,
  );
});
