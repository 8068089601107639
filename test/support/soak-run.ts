/**
 * The fault soak: many campaigns at once against a simulator that fails a share of every request (5xx, 429 with
 * Retry-After, dropped connections, responses lost after the request took effect), on the real Temporal dev server
 * with a worker in this process. It counts what matters: did every campaign complete, did any create a second
 * batch, did every CSV row come back as a result, and how hard did Temporal's retries work for it.
 * Used by `npm run soak` (50+ campaigns, figures in docs/reliability.md) and by a smaller test in the suite.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { Fault, LoggedRequest } from '../../simulator/server';
import { batchCampaign } from '../../src/workflows/batch-campaign';
import type { CampaignResult } from '../../src/workflows/definitions';
import { defaultMaxPollIntervalMs } from '../../src/workflows/poll-interval';
import { campaignContactsCsv } from './campaign-contacts';
import { fastRules, testAgentId as agentId } from './constants';
import { startDevStack } from './dev-stack';

export interface SoakOptions {
  campaigns: number;
  rowsPerCampaign: number;
  seed: number;
  rates: { serverErrorRate: number; rateLimitRate: number; dropRate: number; lostResponseRate: number };
  /** Seconds a random 429 asks to wait (a range each draws from). */
  retryAfterSeconds: { min: number; max: number };
  /** Scripted faults on top of the random ones (a test uses them to be sure every kind happens). */
  scriptedFaults?: Fault[];
  /** A hard bound on the whole run; campaigns still running then count as failed. */
  deadlineMs: number;
  /**
   * Campaigns still running when no request has reached the simulator for this long count as stuck (failed). A
   * live campaign asks Bolna something at least once per retry backoff (at most a minute) or poll (at most
   * `defaultMaxPollIntervalMs` apart, as polls adapt to how long a batch seems to have left), so a simulator quiet
   * for longer means a stuck campaign, while a slow one (an unlucky run of faults) keeps going until the deadline.
   * Default: the longest poll interval and a minute more.
   */
  quietLimitMs?: number;
  log?: (line: string) => void;
}

export interface SoakFigures {
  campaigns: number;
  completed: number;
  failed: { workflowId: string; reason: string }[];
  apiCalls: number;
  faults: Record<string, number>;
  activityRetries: number;
  /** How Temporal's retries answered the 429s: see `rateLimitWaits`. */
  rateLimits: RateLimitWaits;
  batchesCreated: number;
  /** Batches beyond one per campaign (found by the campaign's unique upload name). */
  duplicates: number;
  /** Campaigns whose request log shows other than exactly one create that took effect. */
  campaignsWithoutExactlyOneCreate: number;
  csvRows: number;
  resultRows: number;
  wallTimeMs: number;
}

/** Shrunk rules and short calls, so a campaign takes seconds; the retries are what the soak is about. */
const rules = fastRules;

export async function runSoak(options: SoakOptions): Promise<SoakFigures> {
  const log = options.log ?? (() => {});
  const began = Date.now();
  const stack = await startDevStack({
    name: 'soak',
    log,
    rules,
    simulator: {
      seed: options.seed,
      calls: {
        concurrency: 4,
        spacingMs: 100,
        dialMs: { min: 100, max: 300 },
        ringMs: { min: 300, max: 1_000 },
        talkMs: { min: 1_000, max: 3_000 },
        postProcessingMs: { min: 500, max: 1_500 },
      },
      faults: { ...options.rates, retryAfterSeconds: options.retryAfterSeconds },
    },
  });
  try {
    const { simulator, client, workDir } = stack;
    for (const fault of options.scriptedFaults ?? []) simulator.injectFault(fault);
    const taskQueue = `soak-${options.seed}-${process.pid}`;
    await stack.runWorker({ taskQueue });

    log(`Starting ${options.campaigns} campaigns of ${options.rowsPerCampaign} rows (seed ${options.seed})`);
    const handles = await Promise.all(
      Array.from({ length: options.campaigns }, async (_, index) => {
        const csv = join(workDir, `campaign-${index}.csv`);
        await writeFile(csv, campaignContactsCsv(index, options.rowsPerCampaign));
        return client.workflow.start(batchCampaign, {
          workflowId: `campaign-soak-${options.seed}-${index}`,
          taskQueue,
          args: [{ agentId, csv, pollIntervalSeconds: 2 }],
        });
      }),
    );

    const outcomes = await resultsBefore(handles, {
      deadline: began + options.deadlineMs,
      quietLimitMs: options.quietLimitMs ?? defaultMaxPollIntervalMs + 60_000,
      requestCount: () => simulator.requests.length,
    });
    const figures = await measure(options, handles, outcomes, simulator.requests, simulator.batches.list());
    return { ...figures, wallTimeMs: Date.now() - began };
  } finally {
    await stack.close();
  }
}

type Outcome = { result: CampaignResult } | { reason: string };

/**
 * Every campaign's result, or why there is none: it failed, it was still running at the deadline, or it was stuck
 * (the simulator heard nothing for `quietLimitMs` while it still ran).
 */
async function resultsBefore(
  handles: WorkflowHandle<typeof batchCampaign>[],
  watch: { deadline: number; quietLimitMs: number; requestCount: () => number },
): Promise<Outcome[]> {
  let lastCount = watch.requestCount();
  let lastRequestSeen = Date.now();
  let checker: NodeJS.Timeout | undefined;
  const givenUp = new Promise<{ givenUp: string }>((resolve) => {
    checker = setInterval(() => {
      const count = watch.requestCount();
      if (count !== lastCount) [lastCount, lastRequestSeen] = [count, Date.now()];
      if (Date.now() >= watch.deadline) resolve({ givenUp: 'still running at the deadline' });
      if (Date.now() - lastRequestSeen >= watch.quietLimitMs) {
        resolve({ givenUp: `stuck: no request reached Bolna for ${watch.quietLimitMs / 1000} s` });
      }
    }, 1_000);
  });
  try {
    return await Promise.all(
      handles.map(async (handle): Promise<Outcome> => {
        const settled = await Promise.race([handle.result().then((result) => ({ result })), givenUp]).catch(
          (error: unknown) => ({
            reason: error instanceof Error ? `${error.message}: ${String(error.cause)}` : String(error),
          }),
        );
        if (!('givenUp' in settled)) return settled;
        await handle.terminate(`soak: ${settled.givenUp}`).catch(() => undefined);
        return { reason: settled.givenUp };
      }),
    );
  } finally {
    clearInterval(checker);
  }
}

async function measure(
  options: SoakOptions,
  handles: WorkflowHandle<typeof batchCampaign>[],
  outcomes: Outcome[],
  requests: readonly LoggedRequest[],
  batches: readonly { fileName: string }[],
): Promise<Omit<SoakFigures, 'wallTimeMs'>> {
  const failed = outcomes.flatMap((outcome, i) =>
    'reason' in outcome ? [{ workflowId: handles[i]!.workflowId, reason: outcome.reason }] : [],
  );
  const faults: Record<string, number> = {};
  for (const request of requests) if (request.fault) faults[request.fault] = (faults[request.fault] ?? 0) + 1;

  let activityRetries = 0;
  for (const handle of handles) {
    for (const event of (await handle.fetchHistory()).events ?? []) {
      activityRetries += Math.max(0, (event.activityTaskStartedEventAttributes?.attempt ?? 1) - 1);
    }
  }

  // One upload name per campaign: group batches and successful creates by the campaign part of the name.
  const campaignOf = (fileName: string) => /^(campaign-soak-\d+-\d+)-/.exec(fileName)?.[1] ?? fileName;
  const batchesPerCampaign = countBy(batches.map((batch) => campaignOf(batch.fileName)));
  const createsPerCampaign = countBy(
    requests
      .filter(
        (r) =>
          r.method === 'POST' &&
          r.path === '/batches' &&
          (r.status === 201 || r.status === 200 || r.status === 'lost'),
      )
      .map((r) => campaignOf(r.file?.filename ?? '')),
  );
  const campaignIds = handles.map((handle) => handle.workflowId);

  const results = outcomes.flatMap((outcome) => ('result' in outcome ? [outcome.result] : []));
  const resultRows = (
    await Promise.all(
      results.map(async (result) =>
        result.files ? (await readFile(result.files.jsonl, 'utf8')).split('\n').filter(Boolean).length : 0,
      ),
    )
  ).reduce((sum, rows) => sum + rows, 0);

  return {
    campaigns: handles.length,
    completed: results.filter((result) => result.outcome === 'completed').length,
    failed,
    apiCalls: requests.length,
    faults,
    activityRetries,
    rateLimits: rateLimitWaits(requests),
    batchesCreated: batches.length,
    duplicates: [...batchesPerCampaign.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0),
    campaignsWithoutExactlyOneCreate: campaignIds.filter((id) => createsPerCampaign.get(id) !== 1).length,
    csvRows: options.campaigns * options.rowsPerCampaign,
    resultRows,
  };
}

export interface RateLimitWaits {
  /** 429s on a batch's own path whose request came again (the activity's retry). */
  retried: number;
  /** Of those, the retries that came no sooner than the 429's Retry-After. */
  honoured: number;
  /** The longest Retry-After a retry waited out, in seconds. */
  longestHonouredSeconds: number | undefined;
  /** The smallest (wait − Retry-After) over all retried 429s: negative when a retry came too soon. */
  smallestMarginMs: number | undefined;
}

/**
 * For each 429 on a batch's own path (unique to one campaign, and only ever requested by one activity at a time),
 * the wait until that request came again, which is the activity's next attempt. The activity turns Retry-After into
 * the failure's next retry delay; a retry sooner than the 429 asked means it was not honoured.
 */
function rateLimitWaits(requests: readonly LoggedRequest[]): RateLimitWaits {
  const waits: RateLimitWaits = {
    retried: 0,
    honoured: 0,
    longestHonouredSeconds: undefined,
    smallestMarginMs: undefined,
  };
  requests.forEach((request, index) => {
    if (request.status !== 429 || !/^\/batches\/[0-9a-f]{32}(\/|$)/.test(request.path)) return;
    const askedMs = (request.retryAfterSeconds ?? 0) * 1000;
    const next = requests
      .slice(index + 1)
      .find((r) => r.method === request.method && r.path === request.path);
    if (!next) return;
    const marginMs = next.at - request.at - askedMs;
    waits.retried += 1;
    waits.smallestMarginMs = Math.min(waits.smallestMarginMs ?? Infinity, marginMs);
    if (marginMs < 0) return;
    waits.honoured += 1;
    waits.longestHonouredSeconds = Math.max(waits.longestHonouredSeconds ?? 0, askedMs / 1000);
  });
  return waits;
}

function countBy(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}
