/**
 * The outreach benchmark: one outreach campaign over many contacts (100,000 for the README) on ONE worker process
 * (so its memory is the worker's alone), the real Temporal dev server, and the simulator with shrunk rules and
 * short calls on many lines. Retrying unanswered calls, the campaign runs three waves; what is measured is what the
 * ledger design promises: histories that stay small, a worker whose memory does not grow with the list, and how
 * long the ledger's steps (prepare, plan and record each wave, finish) take over the whole list.
 * Used by `npm run bench:outreach` and by a small test in the suite.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { startOutreach } from '../../src/campaigns';
import type { OutreachHandle } from '../../src/campaigns';
import type { OutreachResult, RetryPolicy } from '../../src/workflows/outreach-definitions';
import { eventTimeMs, runHistories } from './campaign-bench';
import { fastRules } from './constants';
import { startDevStack } from './dev-stack';
import { startMeasuredWorker } from './measured-worker';
import type { MeasuredWorker } from './measured-worker';

export interface OutreachBenchOptions {
  contacts: number;
  /** When a campaign still running is terminated and counts as not completed (epoch ms). */
  deadline: number;
  log?: (line: string) => void;
}

/** One ledger step as its history shows it: scheduled → completed (retries included), in ms. */
export interface LedgerStep {
  activity: 'prepareOutreach' | 'planWave' | 'recordWave' | 'finishOutreach';
  /** The wave it planned or recorded. */
  wave?: number;
  /** For a plan: whether it made a wave, or found the next wave must wait (a retry delay). */
  plan?: 'wave' | 'wait' | 'done';
  /** For a plan that made a wave: its contacts. */
  contacts?: number;
  durationMs: number;
}

export interface WaveFigures {
  number: number;
  workflowId: string;
  contacts: number;
  /** The plan that made the wave (the plans that only found it must wait are in `waitPlans`). */
  planMs: number;
  waitPlans: number;
  recordMs: number;
  /** The wave's batch campaign, first event to last. */
  runMs: number;
}

export interface OutreachBenchFigures {
  contacts: number;
  completed: boolean;
  /** Why not, when not. */
  failure?: string;
  result?: OutreachResult;
  waves: WaveFigures[];
  prepareMs: number | undefined;
  finishMs: number | undefined;
  /** The campaign's start to its end. */
  wallTimeMs: number;
  /** Runs of the outreach workflow and of every wave's batch campaign (continue-as-new included). */
  runs: number;
  historyEventsPerRunMax: number;
  worker: {
    /** Resident memory once the worker polls (its workflow bundle built), before the campaign starts. */
    rssAtReadyBytes: number;
    /** The worker process's high-water mark (VmHWM) over its whole life, start-up included. */
    peakRssBytes: number;
    /** The most resident memory sampled (every second) while the campaign ran. */
    peakRssWhileRunningBytes: number;
    cpuSecondsWhileRunning: number;
  };
}

/** The raw material behind the figures, so a test can recompute them its own way. */
export interface OutreachBenchEvidence {
  workflowId: string;
  /** Every run's history: the outreach's runs first, then each wave's, in wave order. */
  histories: { workflowId: string; runs: temporal.api.history.v1.IHistory[] }[];
  /** The simulator's batches in creation order: the numbers uploaded and each call's final status. */
  batches: { batchId: string; numbers: string[]; statuses: string[] }[];
}

/**
 * Short calls on a thousand lines with no spacing: a wave of 100,000 contacts calls for about a minute, so the run
 * is about the ledger and Temporal, not the calls. The mix leaves about a third unanswered for the retry waves.
 */
const calls = {
  concurrency: 1_000,
  spacingMs: 0,
  dialMs: { min: 10, max: 50 },
  ringMs: { min: 50, max: 200 },
  talkMs: { min: 100, max: 300 },
  postProcessingMs: { min: 50, max: 100 },
  outcomes: { completed: 0.6, 'no-answer': 0.3, busy: 0.1 },
};

/** Unanswered calls are retried twice: the campaign runs three waves. */
const retry: RetryPolicy = { on: ['no-answer'], maxAttempts: 3, after: '30 seconds' };

const benchAgentId = 'be0c4000-0000-4000-8000-0000000000aa';

export async function runOutreachBench(
  options: OutreachBenchOptions,
): Promise<{ figures: OutreachBenchFigures; evidence: OutreachBenchEvidence }> {
  const log = options.log ?? (() => {});
  const stack = await startDevStack({
    name: 'bench-outreach',
    log,
    rules: fastRules,
    simulator: { seed: 1, calls },
  });
  try {
    const { simulator, client, workDir } = stack;
    const taskQueue = `bench-outreach-${process.pid}`;
    const measured = await startMeasuredWorker(stack.workerEnv(taskQueue, join(workDir, 'results')));
    const { process: worker, atReady } = measured;
    try {
      measured.measure();
      let usage: ReturnType<MeasuredWorker['finish']>;
      const csv = join(workDir, 'contacts.csv');
      await writeFile(csv, contactsCsv(options.contacts));
      const began = Date.now();
      let outcome: { result: OutreachResult } | { reason: string };
      let workflowId: string;
      try {
        log(`Starting an outreach campaign over ${options.contacts} contacts`);
        const started = await startOutreach({
          client,
          taskQueue,
          name: `bench-${options.contacts}`,
          rules: fastRules,
          input: { agentId: benchAgentId, csv, retry, pollIntervalSeconds: 2 },
        });
        workflowId = started.workflowId;
        outcome = await resultBefore(started.handle, options.deadline);
      } finally {
        usage = measured.finish();
      }
      const wallTimeMs = Date.now() - began;
      const { atEnd, peakRssWhileRunningBytes } = usage;
      await worker.stop();

      log('Reading the histories');
      const histories = await campaignHistories(client, workflowId);
      const nowMs = Date.now();
      const batches = simulator.batches.list().map((batch) => {
        const column = batch.columns.indexOf('contact_number');
        return {
          batchId: batch.batchId,
          numbers: batch.rows.map((row) => row[column] ?? ''),
          statuses: simulator.batches.callStates(batch, nowMs).map((state) => state.status),
        };
      });
      const runs = histories.flatMap((each) => each.runs);
      const steps = ledgerSteps(histories[0]?.runs ?? []);
      const step = (activity: LedgerStep['activity']) => steps.find((each) => each.activity === activity);
      return {
        evidence: { workflowId, histories, batches },
        figures: {
          contacts: options.contacts,
          completed: 'result' in outcome && outcome.result.outcome === 'completed',
          ...('reason' in outcome ? { failure: outcome.reason } : { result: outcome.result }),
          ...('result' in outcome && outcome.result.outcome !== 'completed'
            ? { failure: `ended ${outcome.result.outcome}` }
            : {}),
          waves: waveFigures(histories, steps),
          prepareMs: step('prepareOutreach')?.durationMs,
          finishMs: step('finishOutreach')?.durationMs,
          wallTimeMs,
          runs: runs.length,
          historyEventsPerRunMax: Math.max(0, ...runs.map((history) => history.events?.length ?? 0)),
          worker: {
            // VmHWM is the kernel's high-water mark; RSS samples can see a little more (counters sync lazily).
            rssAtReadyBytes: atReady.rssBytes,
            peakRssBytes: Math.max(atEnd.peakRssBytes, peakRssWhileRunningBytes),
            peakRssWhileRunningBytes,
            cpuSecondsWhileRunning: atEnd.cpuSeconds - atReady.cpuSeconds,
          },
        },
      };
    } finally {
      await worker.stop();
    }
  } finally {
    await stack.close();
  }
}

/** `contacts` distinct valid Indian mobile numbers (up to 100 million). */
function contactsCsv(contacts: number): string {
  const lines = ['contact_number,first_name'];
  for (let row = 0; row < contacts; row += 1) {
    lines.push(`+9197${String(row).padStart(8, '0')},Person ${row}`);
  }
  return `${lines.join('\n')}\n`;
}

async function resultBefore(
  handle: OutreachHandle,
  deadline: number,
): Promise<{ result: OutreachResult } | { reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  const deadlinePassed = new Promise<'deadline'>((resolveDeadline) => {
    timer = setTimeout(() => resolveDeadline('deadline'), Math.max(0, deadline - Date.now()));
  });
  try {
    const settled = await Promise.race([
      handle.result().then((result) => ({ result: result as OutreachResult })),
      deadlinePassed,
    ]).catch((error: unknown) => ({
      reason: error instanceof Error ? `${error.message}: ${String(error.cause)}` : String(error),
    }));
    if (settled !== 'deadline') return settled;
    await handle.terminate('bench: still running at the deadline').catch(() => undefined);
    return { reason: 'still running at the deadline' };
  } finally {
    clearTimeout(timer);
  }
}

/** The outreach's runs, then every wave's (each wave's first run as the outreach's history started it). */
async function campaignHistories(
  client: Client,
  workflowId: string,
): Promise<OutreachBenchEvidence['histories']> {
  const first = await client.workflow.getHandle(workflowId).describe();
  const outreach = await runHistories(
    client,
    workflowId,
    first.raw.workflowExecutionInfo?.firstRunId || first.runId,
  );
  const children = outreach.flatMap(({ events }) =>
    (events ?? []).flatMap((event) => {
      const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
      return child?.workflowId && child.runId ? [{ workflowId: child.workflowId, runId: child.runId }] : [];
    }),
  );
  const waves = await Promise.all(
    children.map(async (child) => ({
      workflowId: child.workflowId,
      runs: await runHistories(client, child.workflowId, child.runId),
    })),
  );
  return [{ workflowId, runs: outreach }, ...waves];
}

const ledgerActivities = new Set<string>(['prepareOutreach', 'planWave', 'recordWave', 'finishOutreach']);

/** Every ledger step of the outreach's runs, in order, timed from its scheduled event to its completed one. */
export function ledgerSteps(runs: readonly temporal.api.history.v1.IHistory[]): LedgerStep[] {
  const steps: LedgerStep[] = [];
  for (const { events } of runs) {
    const scheduled = new Map<number, temporal.api.history.v1.IHistoryEvent>();
    for (const event of events ?? []) {
      const attributes = event.activityTaskScheduledEventAttributes;
      if (attributes && ledgerActivities.has(attributes.activityType?.name ?? '')) {
        scheduled.set(Number(event.eventId), event);
      }
      const completed = event.activityTaskCompletedEventAttributes;
      const start = completed && scheduled.get(Number(completed.scheduledEventId));
      if (!completed || !start) continue;
      const name = start.activityTaskScheduledEventAttributes!.activityType!.name as LedgerStep['activity'];
      const input = decoded<{ wave?: number }>(
        start.activityTaskScheduledEventAttributes!.input?.payloads?.[0],
      );
      const output = decoded<{ kind?: LedgerStep['plan']; contacts?: number }>(
        completed.result?.payloads?.[0],
      );
      steps.push({
        activity: name,
        ...(input?.wave !== undefined ? { wave: input.wave } : {}),
        ...(name === 'planWave' && output?.kind ? { plan: output.kind } : {}),
        ...(name === 'planWave' && output?.kind === 'wave' ? { contacts: output.contacts ?? 0 } : {}),
        durationMs: eventTimeMs(event) - eventTimeMs(start),
      });
    }
  }
  return steps;
}

function decoded<T>(payload: temporal.api.common.v1.IPayload | null | undefined): T | undefined {
  return payload ? defaultPayloadConverter.fromPayload<T>(payload) : undefined;
}

/** Each wave: its contacts (from the plan that made it), its ledger steps, and how long its batch campaign ran. */
function waveFigures(histories: OutreachBenchEvidence['histories'], steps: LedgerStep[]): WaveFigures[] {
  return histories.slice(1).map(({ workflowId, runs }, index) => {
    const number = index + 1;
    const ofWave = steps.filter((step) => step.wave === number);
    const plan = ofWave.find((step) => step.activity === 'planWave' && step.plan === 'wave');
    const events = runs.flatMap((run) => run.events ?? []);
    return {
      number,
      workflowId,
      contacts: plan?.contacts ?? 0,
      planMs: plan?.durationMs ?? 0,
      waitPlans: ofWave.filter((step) => step.activity === 'planWave' && step.plan === 'wait').length,
      recordMs: ofWave.find((step) => step.activity === 'recordWave')?.durationMs ?? 0,
      runMs: events.length > 0 ? eventTimeMs(events.at(-1)!) - eventTimeMs(events[0]!) : 0,
    };
  });
}
