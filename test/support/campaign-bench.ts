/**
 * The campaign-scale benchmark: many campaigns at once on ONE worker process (so its memory and CPU are the
 * worker's alone), the real Temporal dev server, and the simulator with shrunk rules, its own 1,000/min limit and no
 * injected faults. It measures what sizing a worker needs: how many campaigns completed, the worker's peak memory
 * and CPU, how long workflow tasks waited for the worker, how long the histories grew, and how many requests
 * reached Bolna, per campaign and per minute, with the 429s among them.
 * Used by `npm run bench:campaigns` (500 campaigns, figures in docs/scale.md) and by a small test in the suite.
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { LoggedRequest } from '../../simulator/server';
import type { WorkerTuning } from '../../src/config';
import { batchCampaign } from '../../src/workflows/batch-campaign';
import { peakPerMinute, percentiles } from './bench-statistics';
import type { Percentiles } from './bench-statistics';
import { campaignContactsCsv } from './campaign-contacts';
import { fastRules } from './constants';
import { startDevStack } from './dev-stack';
import { startMeasuredWorker } from './measured-worker';
import type { MeasuredWorker } from './measured-worker';

export interface CampaignBenchOptions {
  campaigns: number;
  rowsPerCampaign: number;
  /** The worker's capacity settings to try; unset ones keep the worker's defaults. */
  tuning: Partial<WorkerTuning>;
  /** The campaigns' poll interval; unset, the product's default. */
  pollIntervalSeconds?: number;
  /** When campaigns still running are terminated and count as not completed (epoch ms). */
  deadline: number;
  log?: (line: string) => void;
}

export interface CampaignBenchFigures {
  campaigns: number;
  completed: number;
  failed: { workflowId: string; reason: string }[];
  /** From the first campaign's start to the last campaign's end. */
  wallTimeMs: number;
  /**
   * The machine's CPUs and 1-minute load average as the campaigns started and ended: on a shared machine, other
   * work slows the worker down, and the latencies show it.
   */
  machine: { cpus: number; loadAtStart: number; loadAtEnd: number };
  worker: {
    /** The worker process's high-water mark over its whole life (start-up's workflow bundling included). */
    peakRssBytes: number;
    /** The most resident memory seen while campaigns ran (sampled every second). */
    peakRssWhileRunningBytes: number;
    /** User plus system CPU over the worker's whole life. */
    cpuSeconds: number;
    /** Of which while campaigns ran. */
    cpuSecondsWhileRunning: number;
  };
  /** WorkflowTaskScheduled → WorkflowTaskStarted, over every workflow task of every run. */
  workflowTaskScheduleToStart: Percentiles;
  /** ActivityTaskScheduled → ActivityTaskStarted, over first attempts (a retry's wait is its backoff). */
  activityScheduleToStart: Percentiles;
  runs: number;
  historyEventsPerRunMax: number;
  requests: {
    total: number;
    /** Requests that name a campaign (its agent or its batch), per campaign. */
    perCampaignMean: number;
    perCampaignMax: number;
    /** Requests naming no campaign: `GET /user/me`, and uploads refused before their form was read. */
    namingNoCampaign: number;
    /** The most requests received in any 60 s (sliding window). */
    peakPerMinute: number;
    /** 429s answered: with no faults injected, all from the simulator's own rate limit. */
    rateLimited: number;
  };
}

/** The raw material behind the figures, so a test can recompute them its own way. */
export interface CampaignBenchEvidence {
  requests: readonly LoggedRequest[];
  campaigns: { workflowId: string; agentId: string; batchId: string | undefined }[];
  /** Every run's history, campaign by campaign. */
  histories: temporal.api.history.v1.IHistory[][];
}

/** Short calls, four at a time: a batch of 20 rows takes about 20 s, so the run is about Temporal and Bolna's API. */
const calls = {
  concurrency: 4,
  spacingMs: 100,
  dialMs: { min: 100, max: 300 },
  ringMs: { min: 300, max: 1_000 },
  talkMs: { min: 1_000, max: 3_000 },
  postProcessingMs: { min: 500, max: 1_500 },
};

/**
 * Each campaign calls with an agent of its own (the simulator takes any agent id when given no list), so every
 * request but the account's names its campaign: the agent in the listings' paths and the upload's form, the batch
 * in the rest.
 */
function benchAgentId(index: number): string {
  return `be0c4000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

/** The environment variables of `src/config.ts` that carry each tuning setting to the worker process. */
const tuningEnv: Record<keyof WorkerTuning, string> = {
  maxCachedWorkflows: 'BOLNA_WORKER_MAX_CACHED_WORKFLOWS',
  maxConcurrentWorkflowTaskExecutions: 'BOLNA_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
  maxConcurrentActivityTaskExecutions: 'BOLNA_WORKER_MAX_CONCURRENT_ACTIVITIES',
  maxConcurrentWorkflowTaskPolls: 'BOLNA_WORKER_WORKFLOW_TASK_POLLERS',
  maxConcurrentActivityTaskPolls: 'BOLNA_WORKER_ACTIVITY_TASK_POLLERS',
};

export async function runCampaignBench(
  options: CampaignBenchOptions,
): Promise<{ figures: CampaignBenchFigures; evidence: CampaignBenchEvidence }> {
  const log = options.log ?? (() => {});
  const stack = await startDevStack({
    name: 'bench-campaigns',
    log,
    rules: fastRules,
    // The simulator's rate limit stays at Bolna's 1,000 per minute; no faults are injected.
    simulator: { seed: 1, calls },
  });
  try {
    const { simulator, client, workDir } = stack;
    const taskQueue = `bench-campaigns-${process.pid}`;
    const env = stack.workerEnv(taskQueue, join(workDir, 'results'));
    for (const [setting, value] of Object.entries(options.tuning)) {
      env[tuningEnv[setting as keyof WorkerTuning]] = String(value);
    }
    const measured = await startMeasuredWorker(env);
    const { process: worker, atReady } = measured;
    try {
      measured.measure();
      let usage: ReturnType<MeasuredWorker['finish']>;
      let outcomes: Outcome[];
      let handles: WorkflowHandleWithFirstExecutionRunId<typeof batchCampaign>[];
      const began = Date.now();
      const loadAtStart = loadavg()[0]!;
      try {
        log(`Starting ${options.campaigns} campaigns of ${options.rowsPerCampaign} rows`);
        handles = await startCampaigns(client, taskQueue, workDir, options);
        outcomes = await resultsBefore(handles, options.deadline);
      } finally {
        usage = measured.finish();
      }
      const wallTimeMs = Date.now() - began;
      const loadAtEnd = loadavg()[0]!;
      const { atEnd, peakRssWhileRunningBytes } = usage;
      await worker.stop();

      log('Reading the histories');
      const histories = await mapLimited(handles, 16, (handle) =>
        runHistories(client, handle.workflowId, handle.firstExecutionRunId),
      );
      const campaigns = handles.map((handle, index) => {
        const outcome = outcomes[index]!;
        return {
          workflowId: handle.workflowId,
          agentId: benchAgentId(index),
          batchId: 'result' in outcome ? outcome.result.batchId : undefined,
        };
      });
      const evidence = { requests: simulator.requests, campaigns, histories };
      const batchAgents = new Map(simulator.batches.list().map((batch) => [batch.batchId, batch.agentId]));
      return {
        evidence,
        figures: {
          campaigns: options.campaigns,
          completed: outcomes.filter(
            (outcome) => 'result' in outcome && outcome.result.outcome === 'completed',
          ).length,
          failed: outcomes.flatMap((outcome, index) =>
            'reason' in outcome ? [{ workflowId: handles[index]!.workflowId, reason: outcome.reason }] : [],
          ),
          wallTimeMs,
          machine: { cpus: availableParallelism(), loadAtStart, loadAtEnd },
          worker: {
            // The kernel updates VmHWM lazily (its RSS counters are per-thread and synced now and then), so a
            // sample can see a little more than it.
            peakRssBytes: Math.max(atEnd.peakRssBytes, peakRssWhileRunningBytes),
            peakRssWhileRunningBytes,
            cpuSeconds: atEnd.cpuSeconds,
            cpuSecondsWhileRunning: atEnd.cpuSeconds - atReady.cpuSeconds,
          },
          ...historyFigures(histories.flat()),
          requests: requestFigures(simulator.requests, campaigns, batchAgents),
        },
      };
    } finally {
      await worker.stop();
    }
  } finally {
    await stack.close();
  }
}

async function startCampaigns(
  client: Client,
  taskQueue: string,
  workDir: string,
  options: CampaignBenchOptions,
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof batchCampaign>[]> {
  return Promise.all(
    Array.from({ length: options.campaigns }, async (_, index) => {
      const csv = join(workDir, `campaign-${index}.csv`);
      await writeFile(csv, campaignContactsCsv(index, options.rowsPerCampaign));
      return client.workflow.start(batchCampaign, {
        workflowId: `campaign-bench-${index}`,
        taskQueue,
        args: [
          {
            agentId: benchAgentId(index),
            csv,
            ...(options.pollIntervalSeconds === undefined
              ? {}
              : { pollIntervalSeconds: options.pollIntervalSeconds }),
          },
        ],
      });
    }),
  );
}

type Outcome = { result: Awaited<ReturnType<typeof batchCampaign>> } | { reason: string };

/** Every campaign's result, or why there is none (it failed, or was still running at the deadline: terminated). */
async function resultsBefore(
  handles: WorkflowHandleWithFirstExecutionRunId<typeof batchCampaign>[],
  deadline: number,
): Promise<Outcome[]> {
  let timer: NodeJS.Timeout | undefined;
  const deadlinePassed = new Promise<'deadline'>((resolveDeadline) => {
    timer = setTimeout(() => resolveDeadline('deadline'), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.all(
      handles.map(async (handle): Promise<Outcome> => {
        const settled = await Promise.race([
          handle.result().then((result) => ({ result })),
          deadlinePassed,
        ]).catch((error: unknown) => ({
          reason: error instanceof Error ? `${error.message}: ${String(error.cause)}` : String(error),
        }));
        if (settled !== 'deadline') return settled;
        await handle.terminate('bench: still running at the deadline').catch(() => undefined);
        return { reason: 'still running at the deadline' };
      }),
    );
  } finally {
    clearTimeout(timer);
  }
}

/** The history of every run of a workflow from its first run, following continue-as-new to the last. */
export async function runHistories(
  client: Client,
  workflowId: string,
  firstRunId: string,
): Promise<temporal.api.history.v1.IHistory[]> {
  const histories: temporal.api.history.v1.IHistory[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    histories.push(history);
    runId =
      history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return histories;
}

function historyFigures(
  histories: temporal.api.history.v1.IHistory[],
): Pick<
  CampaignBenchFigures,
  'workflowTaskScheduleToStart' | 'activityScheduleToStart' | 'runs' | 'historyEventsPerRunMax'
> {
  const workflowTaskWaits: number[] = [];
  const activityWaits: number[] = [];
  for (const history of histories) {
    const scheduledAt = new Map<number, number>();
    for (const event of history.events ?? []) {
      const at = eventTimeMs(event);
      const id = Number(event.eventId);
      if (event.workflowTaskScheduledEventAttributes || event.activityTaskScheduledEventAttributes) {
        scheduledAt.set(id, at);
      }
      const workflowTask = event.workflowTaskStartedEventAttributes;
      if (workflowTask) workflowTaskWaits.push(at - scheduledAt.get(Number(workflowTask.scheduledEventId))!);
      const activity = event.activityTaskStartedEventAttributes;
      if (activity && (activity.attempt ?? 1) === 1) {
        activityWaits.push(at - scheduledAt.get(Number(activity.scheduledEventId))!);
      }
    }
  }
  return {
    workflowTaskScheduleToStart: percentiles(workflowTaskWaits),
    activityScheduleToStart: percentiles(activityWaits),
    runs: histories.length,
    historyEventsPerRunMax: Math.max(0, ...histories.map((history) => history.events?.length ?? 0)),
  };
}

export function eventTimeMs(event: temporal.api.history.v1.IHistoryEvent): number {
  const seconds = event.eventTime?.seconds;
  const wholeSeconds = typeof seconds === 'number' ? seconds : (seconds?.toNumber() ?? 0);
  return wholeSeconds * 1000 + (event.eventTime?.nanos ?? 0) / 1e6;
}

/** The campaign a request is for: the agent in its path or upload form, or the agent of the batch it addresses. */
function requestFigures(
  requests: readonly LoggedRequest[],
  campaigns: readonly { agentId: string }[],
  batchAgents: ReadonlyMap<string, string>,
): CampaignBenchFigures['requests'] {
  const perAgent = new Map(campaigns.map(({ agentId }) => [agentId, 0]));
  let namingNoCampaign = 0;
  for (const request of requests) {
    const agentId = agentOf(request, batchAgents);
    if (agentId !== undefined && perAgent.has(agentId)) perAgent.set(agentId, perAgent.get(agentId)! + 1);
    else namingNoCampaign += 1;
  }
  const counts = [...perAgent.values()];
  return {
    total: requests.length,
    perCampaignMean: counts.reduce((sum, count) => sum + count, 0) / Math.max(1, counts.length),
    perCampaignMax: Math.max(0, ...counts),
    namingNoCampaign,
    peakPerMinute: peakPerMinute(requests.map((request) => request.at)),
    rateLimited: requests.filter((request) => request.status === 429).length,
  };
}

function agentOf(request: LoggedRequest, batchAgents: ReadonlyMap<string, string>): string | undefined {
  if (request.batchId !== undefined) return batchAgents.get(request.batchId);
  const inPath = /^\/(?:batches|v2\/agent)\/([^/]+)\/(?:all|executions)$/.exec(request.path)?.[1];
  if (inPath !== undefined) return inPath;
  const inForm = request.fields?.agent_id;
  return typeof inForm === 'string' ? inForm : undefined;
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}
