import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { LoggedRequest, RunningSimulator } from '../../simulator/server';
import type { batchCampaign } from '../../src/workflows/batch-campaign';
import { progressQuery, workflowType } from '../../src/workflows/definitions';
import type { CampaignPhase, CampaignResult } from '../../src/workflows/definitions';
import { fewSecondCalls } from '../support/constants';
import { startDevStack } from '../support/dev-stack';
import type { DevStack } from '../support/dev-stack';
import { waitFor } from '../support/wait-for';
import { readJsonLines, spawnWorker } from '../support/worker-process';
import type { WorkerProcess } from '../support/worker-process';
import { waitForPhase } from '../support/workflow-steps';

/**
 * The crash and restart matrix, end to end: the real dev server (on a SQLite file, so it can be restarted), real
 * worker processes and the simulator. A worker is killed with SIGKILL in each phase of a campaign and replaced; the
 * dev server is stopped and started again on the same file and port while a campaign waits and while one runs.
 * Every campaign must still complete with exactly one batch, one create request and every call's result.
 *
 * The four worker kills run side by side (each campaign on its own task queue and with its own agent, so every
 * request in the simulator's log can be told apart); the two server restarts run after them, one at a time,
 * because a restart hits everything on the server.
 */

const contacts = ['+919876543210', '+919812345678', '+14155550123', '+442071838750'];
/** How long the simulator holds the request a worker is killed in: ample time to see it arrive and kill. */
const heldRequestMs = 3_000;
/**
 * Temporal notices a dead worker's activity when its heartbeat stops (20 s) and retries it after the retry
 * policy's first interval; the replacement worker needs a few seconds to start. Above this, heartbeats are broken.
 */
const activityRecoveryBoundMs = 40_000;

let stack: DevStack;
let simulator: RunningSimulator;
let csvPath: string;
const workers: WorkerProcess[] = [];
const figures: string[] = [];

beforeAll(async () => {
  stack = await startDevStack({
    name: 'crash-matrix',
    persistent: true,
    // Calls of a few seconds, two at a time: the batch runs for about 8 s, long enough to act while it runs.
    simulator: {
      calls: fewSecondCalls,
    },
  });
  simulator = stack.simulator;
  csvPath = join(stack.workDir, 'contacts.csv');
  await writeFile(
    csvPath,
    `contact_number,name\n${contacts.map((n, i) => `${n},Contact ${i}`).join('\n')}\n`,
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.kill()));
  await stack?.close();
  if (figures.length > 0) console.log(`Crash matrix recovery times:\n${figures.join('\n')}`);
}, 60_000);

/** One campaign of the matrix: its own workflow, task queue, agent and results folder. */
class Campaign {
  readonly workflowId: string;
  readonly taskQueue: string;
  /** Its own agent, so the simulator's log tells this campaign's agent lookups and uploads from the others'. */
  readonly agentId = randomUUID();
  readonly resultsDir: string;
  readonly workers: WorkerProcess[] = [];
  handle: WorkflowHandle<typeof batchCampaign> | undefined;

  constructor(readonly scenario: string) {
    const stamp = Date.now().toString(36);
    this.workflowId = `crash-matrix-${scenario}-${stamp}`;
    this.taskQueue = `crash-matrix-${scenario}-${stamp}`;
    this.resultsDir = join(stack.workDir, `results-${scenario}`);
  }

  spawnWorker(): WorkerProcess {
    const worker = spawnWorker(
      `${this.scenario}#${this.workers.length + 1}`,
      stack.workerEnv(this.taskQueue, this.resultsDir),
    );
    this.workers.push(worker);
    workers.push(worker);
    return worker;
  }

  async start(): Promise<WorkflowHandle<typeof batchCampaign>> {
    this.handle = await stack.client.workflow.start<typeof batchCampaign>(workflowType, {
      workflowId: this.workflowId,
      taskQueue: this.taskQueue,
      args: [{ agentId: this.agentId, csv: csvPath, pollIntervalSeconds: 1 }],
    });
    return this.handle;
  }

  async phase(): Promise<CampaignPhase> {
    return (await this.required().query(progressQuery)).phase;
  }

  /** Waits for `phase` and returns the batch ID (known from `scheduling` on). */
  async reach(phase: CampaignPhase): Promise<string | undefined> {
    const progress = await waitForPhase(this.required(), phase, { timeoutMs: 60_000, intervalMs: 200 });
    return progress.batchId;
  }

  /** Every logged request that belongs to this campaign (only `GET /user/me` carries nothing to tell). */
  requests(batchId: string | undefined): LoggedRequest[] {
    return simulator.requests.filter(
      (request) =>
        request.path === `/batches/${this.agentId}/all` ||
        request.fields?.agent_id === this.agentId ||
        (batchId !== undefined && request.batchId === batchId),
    );
  }

  /** Worker output for a failure message: what the workers said is usually why. */
  workerOutput(): string {
    return this.workers.map((worker) => `--- worker ${worker.label} ---\n${worker.output()}`).join('\n');
  }

  required(): WorkflowHandle<typeof batchCampaign> {
    if (!this.handle) throw new Error(`${this.scenario} was never started`);
    return this.handle;
  }
}

/** Runs a scenario, attaching its workers' output to a failure: what they said is usually why. */
async function withWorkerOutput<T>(campaign: Campaign, scenario: () => Promise<T>): Promise<T> {
  try {
    return await scenario();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n${campaign.workerOutput()}`, { cause: error });
  }
}

/** A held request, once it has arrived at the simulator (its index in the log and the entry). */
async function arrivalOf(what: string, matches: (request: LoggedRequest) => boolean, fromIndex: number) {
  return waitFor(what, () => {
    const index = simulator.requests.findIndex(
      (request, i) => i >= fromIndex && request.status === 'pending' && matches(request),
    );
    return index >= 0 ? { index, request: simulator.requests[index]! } : undefined;
  });
}

/**
 * The campaign's end as the matrix demands it: completed, every CSV row called and written to the results, one
 * batch under the campaign's upload name and exactly one create request that made a batch.
 */
async function expectCompleteWithOneBatch(campaign: Campaign, result: CampaignResult): Promise<void> {
  expect(result.outcome).toBe('completed');
  expect(result.batchStatus).toBe('completed');
  expect(result.totalCalls).toBe(contacts.length);

  const batch = simulator.batches.list().find((b) => b.batchId === result.batchId);
  expect(batch).toBeDefined();
  // The upload name is the workflow's own, unique per campaign: every batch this campaign ever made carries it.
  expect(batch!.fileName.startsWith(`${campaign.workflowId}-`)).toBe(true);
  const batchesOfCampaign = simulator.batches
    .list()
    .filter((b) => b.fileName.startsWith(`${campaign.workflowId}-`) || b.agentId === campaign.agentId);
  expect(batchesOfCampaign.map((b) => b.batchId)).toEqual([result.batchId]);
  expect(batch!.deletedAtMs).toBeUndefined();

  // 'lost' counts too: the batch was made, only the answer never arrived.
  const creates = simulator.requests.filter(
    (r) =>
      r.method === 'POST' &&
      r.path === '/batches' &&
      (r.fields?.agent_id === campaign.agentId || r.file?.filename === batch!.fileName) &&
      (r.status === 200 || r.status === 201 || r.status === 'lost'),
  );
  expect(creates).toHaveLength(1);
  expect(creates[0]!.batchId).toBe(result.batchId);

  // Complete results: one line per call, each execution of the batch exactly once.
  const lines = (await readJsonLines(result.files!.jsonl)) as { id?: string }[];
  expect(lines).toHaveLength(contacts.length);
  const ids = lines.map((line) => line.id);
  expect(new Set(ids)).toEqual(new Set(batch!.executionIds));
}

/** A campaign's result, or an error naming it if it fails or takes longer than `timeoutMs`. */
async function resultOf(campaign: Campaign, timeoutMs: number): Promise<CampaignResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      campaign.required().result(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${campaign.workflowId} did not complete: ${message}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

type KillPhase = 'creating' | 'waiting' | 'running' | 'collecting';

interface KillOutcome {
  campaign: Campaign;
  result: CampaignResult;
  phaseAtKill: CampaignPhase;
  killedAt: number;
  /** When the campaign's next request reached the simulator, from the replacement worker. */
  resumedAt: number;
  completedAt: number;
  /** When Bolna starts the batch. */
  startsAt: number;
  /** Whether every process of the killed worker was gone (a SIGKILL that left one running proves nothing). */
  killedWorkerGone: boolean;
  replacementAlive: boolean;
}

describe('a worker killed with SIGKILL and replaced', () => {
  const outcomes = new Map<
    KillPhase,
    Promise<{ ok: true; value: KillOutcome } | { ok: false; error: unknown }>
  >();
  // The create is held with a fault on `POST /batches`, a path every campaign uploads to: the others start only
  // once the held create has arrived, so no other campaign's upload can take the fault.
  let releaseOthers: () => void = () => {};
  const createFaultTaken = new Promise<void>((resolve) => (releaseOthers = resolve));

  async function killIn(phase: KillPhase, campaign: Campaign): Promise<KillOutcome> {
    const first = campaign.spawnWorker();
    await first.ready();
    if (phase !== 'creating') await createFaultTaken;

    const logIndex = simulator.requests.length;
    if (phase === 'creating') {
      simulator.injectFault({ kind: 'latency', method: 'POST', path: '/batches', latencyMs: heldRequestMs });
    }
    await campaign.start();
    if (phase === 'creating') {
      await arrivalOf('the held create', (r) => r.method === 'POST' && r.path === '/batches', logIndex);
      releaseOthers();
    } else {
      const batchId = (await campaign.reach('waiting'))!;
      // Polls and the download address the batch, so these faults can only hold this campaign's request.
      const heldPath = { running: `/batches/${batchId}`, collecting: `/batches/${batchId}/executions` };
      if (phase !== 'waiting') {
        const path = heldPath[phase];
        simulator.injectFault({ kind: 'latency', method: 'GET', path, latencyMs: heldRequestMs });
        await arrivalOf(`the held GET ${path}`, (r) => r.method === 'GET' && r.path === path, logIndex);
      }
    }
    const phaseAtKill = await campaign.phase();
    await first.kill();
    const killedAt = Date.now();

    const second = campaign.spawnWorker();
    const result = await resultOf(campaign, 150_000);
    const completedAt = Date.now();
    const { startsAt } = await campaign.required().query(progressQuery);
    return {
      campaign,
      result,
      phaseAtKill,
      killedAt,
      // Requests of the held step arrived before the kill, so this is the replacement's first.
      resumedAt: campaign.requests(result.batchId).find((r) => r.at > killedAt)?.at ?? Number.NaN,
      completedAt,
      startsAt: Date.parse(startsAt ?? ''),
      killedWorkerGone: !first.isAlive(),
      replacementAlive: second.isAlive(),
    };
  }

  async function scenario(phase: KillPhase): Promise<KillOutcome> {
    const campaign = new Campaign(`kill-${phase}`);
    try {
      return await withWorkerOutput(campaign, () => killIn(phase, campaign));
    } finally {
      // Never leave the other scenarios waiting for a create fault this one will not take.
      if (phase === 'creating') releaseOthers();
    }
  }

  interface KillScenario {
    phase: KillPhase;
    title: string;
    /**
     * The time from the kill to the step's recovery on the replacement worker, after checking what this phase
     * adds to the checks every kill shares.
     */
    recoveryMs: (outcome: KillOutcome) => number;
    /** The recovery figure, for the table printed at the end. */
    figure: (recovery: string) => string;
  }

  const kills: KillScenario[] = [
    {
      phase: 'creating',
      title:
        'during the create (the upload held at Bolna): the retry looks for the batch before uploading; one create',
      recoveryMs: (outcome) => {
        // The retried create first looked for a batch under the campaign's upload name, before any upload of its
        // own. (The simulator drops a held request whose client died, so here the lookup finds nothing and the
        // retry uploads once; were the held upload to land late, the same lookup would find it. Either way: one
        // create.)
        const afterKill = outcome.campaign
          .requests(outcome.result.batchId)
          .filter((r) => r.at > outcome.killedAt);
        expect(afterKill[0]).toMatchObject({
          method: 'GET',
          path: `/batches/${outcome.campaign.agentId}/all`,
        });
        return outcome.resumedAt - outcome.killedAt;
      },
      figure: (recovery) => `worker killed during create: retried after ${recovery}`,
    },
    {
      phase: 'waiting',
      title: 'while waiting for the scheduled start: the replacement polls once the start comes',
      recoveryMs: (outcome) => {
        // Nothing was in flight, so the first request after the kill is the first poll, due at the start.
        expect(outcome.resumedAt).toBeGreaterThanOrEqual(outcome.startsAt);
        return outcome.resumedAt - Math.max(outcome.startsAt, outcome.killedAt);
      },
      figure: (recovery) => `worker killed while waiting: first poll ${recovery} after the start`,
    },
    {
      phase: 'running',
      title: 'while polling (a poll held at Bolna): the poll is retried on the replacement',
      recoveryMs: (outcome) => outcome.resumedAt - outcome.killedAt,
      figure: (recovery) => `worker killed while polling: polled again after ${recovery}`,
    },
    {
      phase: 'collecting',
      title: 'while collecting (the download held at Bolna): the results are downloaded again, complete',
      recoveryMs: (outcome) => {
        const downloads = outcome.campaign
          .requests(outcome.result.batchId)
          .filter((r) => r.path.endsWith('/executions'));
        // The held download (cut off by the kill) and the replacement's complete one.
        expect(downloads.length).toBeGreaterThanOrEqual(2);
        return outcome.resumedAt - outcome.killedAt;
      },
      figure: (recovery) => `worker killed while collecting: download retried after ${recovery}`,
    },
  ];

  beforeAll(() => {
    for (const { phase } of kills) {
      // Settled at once, so a scenario failing before its test awaits it is not an unhandled rejection.
      outcomes.set(
        phase,
        scenario(phase).then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
      );
    }
  });

  async function outcomeOf(phase: KillPhase): Promise<KillOutcome> {
    const settled = await outcomes.get(phase)!;
    if (!settled.ok) throw settled.error;
    return settled.value;
  }

  test.each(kills)(
    '$title',
    async ({ phase, recoveryMs, figure }) => {
      const outcome = await outcomeOf(phase);
      expect(outcome.killedWorkerGone).toBe(true);
      expect(outcome.replacementAlive).toBe(true);
      expect(outcome.campaign.workers).toHaveLength(2);
      expect(outcome.phaseAtKill).toBe(phase);
      await expectCompleteWithOneBatch(outcome.campaign, outcome.result);
      const recovery = recoveryMs(outcome);
      expect(recovery).toBeLessThan(activityRecoveryBoundMs);
      figures.push(
        `${figure(seconds(recovery))}, completed ${seconds(outcome.completedAt - outcome.killedAt)} after the kill`,
      );
    },
    180_000,
  );
});

describe('the dev server stopped and started again on the same SQLite file and port', () => {
  /*
   * The worker is not restarted: its Rust core keeps retrying its polls (and its completions, for a while) while
   * the server is away and reconnects by itself, so the process survives the outage. These tests prove it: the
   * campaign finishes on the one worker it started with, which is still alive at the end.
   */
  interface ServerOutage {
    title: string;
    scenario: string;
    /** The phase the campaign is in when the server goes down. */
    phase: 'waiting' | 'running';
    /** SIGTERM: a clean shutdown; SIGKILL: a crash, after which SQLite must hold all the server acknowledged. */
    signal: 'SIGTERM' | 'SIGKILL';
    /** Checks the batch at Bolna just before the server goes down. */
    beforeOutage?: (batchId: string) => void;
    /** What must happen while the server is down, before it is started again. */
    outage: (batchId: string, startsAt: number) => { what: string; over: () => boolean; timeoutMs: number };
    /**
     * Where to look for the poll the figure times: from the stop (no request of the campaign may reach Bolna while
     * the server is down) or from the restart.
     */
    pollSoughtFrom: 'stop' | 'restart';
    /** The figure's words: during what, and which poll. */
    during: string;
    poll: string;
  }

  const outages: ServerOutage[] = [
    {
      title:
        'while a campaign waits (stopped cleanly; the start passes while it is down): the same worker carries on',
      scenario: 'server-waiting',
      phase: 'waiting',
      signal: 'SIGTERM',
      // The workflow's timer comes due while there is no server to fire it.
      outage: (_batchId, startsAt) => ({
        what: 'the scheduled start to pass',
        over: () => Date.now() > startsAt + 1_000,
        timeoutMs: 30_000,
      }),
      // Nothing was in flight while the campaign waited, so nothing of it can reach Bolna while the server is down.
      pollSoughtFrom: 'stop',
      during: 'waiting (start passed meanwhile)',
      poll: 'first poll',
    },
    {
      title:
        'while a campaign runs (killed with SIGKILL; the batch ends while it is down): the same worker carries on',
      scenario: 'server-running',
      phase: 'running',
      signal: 'SIGKILL',
      beforeOutage: (batchId) => {
        const batch = simulator.batches.find(batchId)!;
        expect(simulator.batches.status(batch, Date.now())).toBe('running');
      },
      // Every call ends while Temporal is down: the campaign must catch up with a batch that finished without it.
      outage: (batchId) => {
        const batch = simulator.batches.find(batchId)!;
        return {
          what: 'the batch to finish',
          over: () => simulator.batches.status(batch, Date.now()) === 'completed',
          timeoutMs: 60_000,
        };
      },
      // Polling resumed after the restart: nothing it saw before the crash said the batch had finished.
      pollSoughtFrom: 'restart',
      during: 'running (batch ended meanwhile)',
      poll: 'next poll',
    },
  ];

  afterEach(async () => {
    // A test that failed while the server was down must not take the server away from the tests after it.
    await stack.server.start();
  });

  test.each(outages)(
    '$title',
    async (outage) => {
      const campaign = new Campaign(outage.scenario);
      await withWorkerOutput(campaign, async () => {
        const worker = campaign.spawnWorker();
        await worker.ready();
        await campaign.start();
        const batchId = (await campaign.reach(outage.phase))!;
        const startsAt = Date.parse((await campaign.required().query(progressQuery)).startsAt!);
        outage.beforeOutage?.(batchId);

        await stack.server.stop({ signal: outage.signal });
        const stoppedAt = Date.now();
        const { what, over, timeoutMs } = outage.outage(batchId, startsAt);
        await waitFor(what, over, { timeoutMs });
        await stack.server.start();
        const restartedAt = Date.now();

        const result = await resultOf(campaign, 120_000);
        const completedAt = Date.now();
        await expectCompleteWithOneBatch(campaign, result);
        // The same worker throughout, still alive.
        expect(campaign.workers).toEqual([worker]);
        expect(worker.isAlive()).toBe(true);
        const soughtFrom = outage.pollSoughtFrom === 'stop' ? stoppedAt + 1 : restartedAt;
        const poll = campaign
          .requests(batchId)
          .find((r) => r.at >= soughtFrom && r.method === 'GET' && r.path === `/batches/${batchId}`);
        expect(poll).toBeDefined();
        expect(poll!.at).toBeGreaterThanOrEqual(restartedAt);
        figures.push(
          `dev server down ${seconds(restartedAt - stoppedAt)} while ${outage.during}: ${outage.poll} ${seconds(poll!.at - restartedAt)} after the restart, completed ${seconds(completedAt - restartedAt)} after it`,
        );
      });
    },
    120_000,
  );
});
