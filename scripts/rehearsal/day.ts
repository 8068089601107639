import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { DateTime } from 'luxon';
import type { ScheduleRules } from '../../src/bolna/schedule-time';
import {
  getCampaign,
  scheduleCampaign,
  startCampaign,
  startOutreach,
  waitForEnd,
  waitForOutreachEnd,
} from '../../src/campaigns';
import type { CampaignEnding, OutreachEnding } from '../../src/campaigns';
import { outreachProgressQuery } from '../../src/workflows/outreach-definitions';
import type { CallingWindow, OutreachProgress, RetryPolicy } from '../../src/workflows/outreach-definitions';
import { campaignContactsCsv } from '../../test/support/campaign-contacts';
import { waitFor } from '../../test/support/wait-for';
import type { StackProcess } from './processes';
import type { Stack } from './stack';

/**
 * A realistic day on the rehearsed stack: batch campaigns started one after another across the day by a backend,
 * two outreach campaigns of retry waves inside a calling window with a do-not-call list, and, while they run, the
 * four things that happen to a production stack: a worker killed mid-collection, a rolling deploy, a Temporal
 * server restart and a PostgreSQL restart. It records what it started, how each campaign ended, and how long each
 * fault took to recover from; the checks (checks.ts) then read what Bolna and the store saw.
 */

export interface DayOptions {
  campaigns: number;
  rowsPerCampaign: number;
  outreachContacts: number;
  rules: ScheduleRules;
  /** Campaigns still running by then count as failed. */
  deadline: number;
  log: (line: string) => void;
}

export interface StartedBatchCampaign {
  workflowId: string;
  /** Started by the day's Schedule rather than by the backend. */
  scheduled?: boolean;
  csvRows: number;
  ending?: CampaignEnding;
  failure?: string;
}

export interface StartedOutreach {
  workflowId: string;
  numbers: string[];
  suppressed: string[];
  window: CallingWindow & { timeZone: string };
  ending?: OutreachEnding;
  failure?: string;
}

export interface FaultRecord {
  fault: string;
  /** From the fault's start until it was over (the restart done, every worker replaced). */
  tookMs: number;
  /** From the fault's start until the stack did the interrupted work again; see each fault. */
  recoveredAfterMs: number;
  note: string;
}

export interface DayRecord {
  batchAgentId: string;
  outreachAgentId: string;
  batchCampaigns: StartedBatchCampaign[];
  outreach: StartedOutreach[];
  faults: FaultRecord[];
  /** Backend calls (start, waiting for the end) that failed while a fault lasted, and were tried again. */
  clientRetries: number;
  wallTimeMs: number;
}

/** Batch campaigns start at a steady pace over this long, so that every fault finds some in every phase. */
const startSpreadMs = 150_000;
/** A retry 30 s after its wave: the shortest the shrunk rules allow is their 10 s rounding. */
const retry: RetryPolicy = { on: ['no-answer'], maxAttempts: 2, after: '30 seconds' };
const startedActivity = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
const executionsPath = /^\/batches\/([^/]+)\/executions$/;

/**
 * A calling window open now and for hours yet, in a fixed zone where it is about noon, so that it never crosses
 * midnight whatever the time of day: the zone `Etc/GMT-N` is UTC+N.
 */
function noonWindow(nowMs: number): StartedOutreach['window'] {
  const utcHour = new Date(nowMs).getUTCHours();
  const offset = 12 - utcHour;
  const timeZone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
  const local = DateTime.fromMillis(nowMs, { zone: timeZone });
  const hour = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return { start: hour(local.hour - 1), end: hour(local.hour + 4), timeZone };
}

export async function runDay(stack: Stack, options: DayOptions): Promise<DayRecord> {
  const { client } = stack;
  const { log } = options;
  const began = Date.now();
  const stamp = new Date(began).toISOString().slice(0, 19).replace(/[-:T]/g, '');
  const batchAgentId = randomUUID();
  const outreachAgentId = randomUUID();
  let clientRetries = 0;
  /** A backend's habit: a call that fails while Temporal is away is made again, safe because IDs are business keys. */
  const persist = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await call();
      } catch (error) {
        if (Date.now() > options.deadline) throw error;
        clientRetries += 1;
        log(
          `  backend: ${what} failed (${error instanceof Error ? error.message : String(error)}); again in 1 s`,
        );
        await new Promise((again) => setTimeout(again, 1_000));
      }
    }
  };

  const outreach: StartedOutreach[] = [];
  for (let k = 0; k < 2; k += 1) {
    const csv = campaignContactsCsv(900 + k, options.outreachContacts);
    const numbers = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]!);
    const suppressed = numbers.slice(0, 5);
    const name = `rehearsal-${stamp}-outreach-${k + 1}`;
    const window = noonWindow(Date.now());
    const started = await persist(`starting ${name}`, async () =>
      startOutreach({
        client,
        name,
        rules: options.rules,
        input: {
          agentId: outreachAgentId,
          csv: await stack.csvHost.put(`${name}.csv`, csv),
          suppress: [
            await stack.csvHost.put(`${name}-do-not-call.csv`, `contact_number\n${suppressed.join('\n')}\n`),
          ],
          window,
          retry,
          pollIntervalSeconds: 2,
        },
      }),
    );
    outreach.push({ workflowId: started.workflowId, numbers, suppressed, window });
  }
  log(
    `Started 2 outreach campaigns of ${options.outreachContacts} contacts (window ${outreach[0]!.window.start}-${outreach[0]!.window.end} ${outreach[0]!.window.timeZone})`,
  );

  const batchCampaigns: StartedBatchCampaign[] = [];
  const endings: Promise<void>[] = outreach.map(async (campaign) => {
    campaign.ending = await persist(`waiting for ${campaign.workflowId}`, () =>
      waitForOutreachEnd(client.workflow.getHandle(campaign.workflowId)),
    );
  });
  const starting = (async () => {
    for (let i = 0; i < options.campaigns; i += 1) {
      const name = `rehearsal-${stamp}-${i + 1}`;
      const url = await stack.csvHost.put(`${name}.csv`, campaignContactsCsv(i, options.rowsPerCampaign));
      const campaign: StartedBatchCampaign = {
        workflowId: `campaign-${name}`,
        csvRows: options.rowsPerCampaign,
      };
      batchCampaigns.push(campaign);
      await persist(`starting ${name}`, () =>
        startCampaign({
          client,
          name,
          input: { agentId: batchAgentId, csv: url, pollIntervalSeconds: 2 },
        }).catch(async (error: unknown) => {
          // Refused as already started: an earlier try did start it (its answer was lost in a restart).
          if (error instanceof Error && error.name === 'WorkflowExecutionAlreadyStartedError') {
            return getCampaign(client, campaign.workflowId);
          }
          throw error;
        }),
      );
      endings.push(
        persist(`waiting for ${campaign.workflowId}`, () =>
          waitForEnd(client.workflow.getHandle(campaign.workflowId)),
        ).then((ending) => {
          campaign.ending = ending;
        }),
      );
      await new Promise((next) => setTimeout(next, startSpreadMs / options.campaigns));
    }
  })();

  // A recurring campaign on a Temporal Schedule, every minute of the day: its runs start on the production server's
  // scheduler, across the faults, the server restart included.
  const scheduleName = `rehearsal-${stamp}-every-minute`;
  const schedule = await persist(`scheduling ${scheduleName}`, async () =>
    scheduleCampaign({
      client,
      name: scheduleName,
      cron: ['* * * * *'],
      input: {
        agentId: batchAgentId,
        csv: await stack.csvHost.put(
          `${scheduleName}.csv`,
          campaignContactsCsv(800, options.rowsPerCampaign),
        ),
        pollIntervalSeconds: 2,
      },
    }),
  );
  log(`Scheduled ${schedule.scheduleId}: a run every minute until the faults are done`);

  const open = () => [
    ...outreach.filter((campaign) => !campaign.ending).map((campaign) => campaign.workflowId),
    ...batchCampaigns.filter((campaign) => !campaign.ending).map((campaign) => campaign.workflowId),
  ];
  const faults: FaultRecord[] = [];
  const faultsDone = (async () => {
    faults.push(await killWorkerMidCollection(stack, log));
    await calm();
    await waitFor(
      'an outreach wave to be calling, for the deploy to land mid-wave',
      async () => {
        for (const campaign of outreach) {
          if (campaign.ending) continue;
          const progress: OutreachProgress = await client.workflow
            .getHandle(campaign.workflowId)
            .query(outreachProgressQuery);
          if (progress.phase === 'calling') return true;
        }
        return outreach.every((campaign) => campaign.ending);
      },
      { timeoutMs: 180_000, intervalMs: 500 },
    ).catch(() => log('  no outreach wave was calling within 3 minutes: deploying anyway'));
    faults.push(await rollingDeploy(stack, log));
    await calm();
    await campaignsOpen(open, log);
    faults.push(await restart('Temporal server restart', () => stack.temporal.restart(), stack, open, log));
    await calm();
    await campaignsOpen(open, log);
    faults.push(await restart('PostgreSQL restart', () => stack.database.restart(), stack, open, log));
  })();

  await Promise.all([starting, faultsDone]);
  const runs = (await schedule.handle.describe()).info.recentActions.map(
    (taken) => taken.action.workflow.workflowId,
  );
  await persist(`deleting ${schedule.scheduleId}`, () => schedule.handle.delete());
  for (const workflowId of runs) {
    const campaign: StartedBatchCampaign = { workflowId, csvRows: options.rowsPerCampaign, scheduled: true };
    batchCampaigns.push(campaign);
    endings.push(
      persist(`waiting for ${workflowId}`, () => waitForEnd(client.workflow.getHandle(workflowId))).then(
        (ending) => {
          campaign.ending = ending;
        },
      ),
    );
  }
  log(`The schedule started ${runs.length} runs; it is deleted`);
  log(`Every fault done; waiting for the ${open().length} campaigns still open`);
  await Promise.race([
    Promise.all(endings),
    new Promise((late) => setTimeout(late, Math.max(0, options.deadline - Date.now()))),
  ]);
  for (const campaign of [...batchCampaigns, ...outreach]) {
    if (!campaign.ending) campaign.failure = 'still running at the deadline';
  }
  return {
    batchAgentId,
    outreachAgentId,
    batchCampaigns,
    outreach,
    faults,
    clientRetries,
    wallTimeMs: Date.now() - began,
  };
}

/** A restart with nothing running would prove little: wait (a while) for campaigns in flight. */
async function campaignsOpen(open: () => string[], log: (line: string) => void): Promise<void> {
  await waitFor('campaigns in flight', () => open().length > 0, {
    timeoutMs: 120_000,
    intervalMs: 500,
  }).catch(() => log('  no campaign was open within 2 minutes: the fault hits an idle stack'));
}

/** Some quiet between faults, so each one's recovery is its own. */
function calm(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 10_000));
}

/** A campaign whose collectResults a worker is running, inside a listing the simulator holds. */
interface HeldCollection {
  workflowId: string;
  worker: StackProcess;
  /** The collection's pending activity now, or undefined once it has completed. */
  collecting(): Promise<temporal.api.workflow.v1.IPendingActivityInfo | undefined>;
  attempt: number;
}

/**
 * Holds the next listing of a batch's executions for 30 s, and finds the campaign and the worker it belongs to: a
 * fault landing there lands inside a collection. The held request is the one pending for longer than a listing
 * takes (its log entry may name a random fault drawn for it too); a hold another fault cut short is replaced.
 */
async function holdCollection(stack: Stack): Promise<HeldCollection> {
  const { simulator, client } = stack;
  const holdMs = 30_000;
  let heldFrom = simulator.requests.length;
  simulator.injectFault({ kind: 'latency', method: 'GET', path: executionsPath, latencyMs: holdMs });
  const held = await waitFor(
    'a worker to collect a batch’s results',
    () => {
      const listings = simulator.requests
        .slice(heldFrom)
        .filter((request) => executionsPath.test(request.path));
      const holding = listings.find(
        (request) => request.status === 'pending' && Date.now() - request.at > 1_000,
      );
      if (!holding && listings[0] && listings[0].status !== 'pending') {
        heldFrom = simulator.requests.length;
        simulator.injectFault({ kind: 'latency', method: 'GET', path: executionsPath, latencyMs: holdMs });
      }
      return holding;
    },
    { timeoutMs: 300_000, intervalMs: 100 },
  );
  // The campaign that owns the batch, by its BolnaBatchId search attribute (a Schedule's runs carry `:` in their
  // workflow IDs, which the batch's upload name does not keep).
  const batchId = executionsPath.exec(held.path)?.[1];
  const workflowId = await waitFor(`the campaign owning batch ${batchId}`, async () => {
    for await (const execution of client.workflow.list({ query: `BolnaBatchId = '${batchId}'` })) {
      return execution.workflowId;
    }
    return undefined;
  });
  const handle = client.workflow.getHandle(workflowId);
  const collecting = async () =>
    ((await handle.describe()).raw.pendingActivities ?? []).find(
      (activity) => activity.activityType?.name === 'collectResults',
    );
  const activity = await waitFor('the collection to show as started', async () => {
    const pending = await collecting();
    return pending?.lastWorkerIdentity ? pending : undefined;
  });
  const pid = Number(/^(\d+)@/.exec(activity.lastWorkerIdentity ?? '')?.[1]);
  const worker = stack.workers().find((each) => each.pid === pid);
  if (!worker) throw new Error(`no worker of the stack has identity ${activity.lastWorkerIdentity}`);
  return { workflowId, worker, collecting, attempt: activity.attempt ?? 1 };
}

/**
 * Waits for a held collection to complete elsewhere, noting when Temporal saw its attempt end (the next attempt
 * counts up) and when another worker started the next one.
 */
async function collectedAgain(
  held: HeldCollection,
  began: number,
): Promise<{ recoveredAfterMs: number; note: string }> {
  let noticedMs: number | undefined;
  let retriedMs: number | undefined;
  await waitFor(
    'the collection to complete on another worker',
    async () => {
      const pending = await held.collecting();
      if (!pending) return true;
      if (noticedMs === undefined && (pending.attempt ?? 1) > held.attempt) noticedMs = Date.now() - began;
      if (retriedMs === undefined && noticedMs !== undefined && pending.state === startedActivity) {
        retriedMs = Date.now() - began;
      }
      return false;
    },
    { timeoutMs: 300_000, intervalMs: 250 },
  );
  const recoveredAfterMs = Date.now() - began;
  const at = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);
  return {
    recoveredAfterMs,
    note: `attempt ended after ${at(noticedMs)}, next started after ${at(retriedMs)}, collected after ${at(recoveredAfterMs)}`,
  };
}

/**
 * SIGKILL to a worker inside a collection; a new worker takes its place, as `restart: unless-stopped` would start it
 * again. Recovered once that collection has completed, on another worker.
 */
async function killWorkerMidCollection(stack: Stack, log: (line: string) => void): Promise<FaultRecord> {
  const held = await holdCollection(stack);
  const began = Date.now();
  await held.worker.kill();
  log(`Fault: SIGKILL to ${held.worker.label} while it collected ${held.workflowId}'s results`);
  const replacement = await stack.startWorker();
  const tookMs = Date.now() - began;
  const { recoveredAfterMs, note } = await collectedAgain(held, began);
  log(`  ${held.workflowId}: ${note}; ${replacement.label} replaced ${held.worker.label}`);
  return { fault: `kill -9 ${held.worker.label} mid-collection`, tookMs, recoveredAfterMs, note };
}

/**
 * What `docker compose up` does to a changed worker service: each worker in turn gets SIGTERM and a freshly started
 * one takes its place. The first to go is inside a collection that outlasts its shutdown grace, so the deploy also
 * shows what becomes of an activity a stopping worker has to give up. Recovered: that collection completed
 * elsewhere, and no worker's place stayed empty for longer than the figure in the note.
 */
async function rollingDeploy(stack: Stack, log: (line: string) => void): Promise<FaultRecord> {
  const held = await holdCollection(stack);
  const began = Date.now();
  const outgoing = [held.worker, ...stack.workers().filter((worker) => worker !== held.worker)];
  let longestMs = 0;
  const exits: string[] = [];
  for (const worker of outgoing) {
    const stopAt = Date.now();
    await worker.stop(stack.workerStopGraceMs);
    const { code, signal } = await worker.exited;
    exits.push(signal ?? String(code));
    const replacement = await stack.startWorker();
    longestMs = Math.max(longestMs, Date.now() - stopAt);
    log(
      `  deploy: ${worker.label} exited ${signal ?? code} after ${seconds(Date.now() - stopAt)} → ${replacement.label} polling`,
    );
  }
  const tookMs = Date.now() - began;
  log(
    `Fault: rolling deploy of ${outgoing.length} workers in ${seconds(tookMs)}, the first inside ${held.workflowId}'s collection`,
  );
  const { recoveredAfterMs, note } = await collectedAgain(held, began);
  log(`  ${held.workflowId}: ${note}`);
  return {
    fault: `rolling deploy (${outgoing.length} workers, one at a time)`,
    tookMs,
    recoveredAfterMs,
    note: `exits: ${exits.join(', ')}; longest a worker's place stayed empty: ${seconds(longestMs)}; the first worker's collection: ${note}`,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * A restart of a part the cluster cannot run without. Recovered once the cluster takes a write again (a probe
 * workflow started and terminated) and a worker answers a running campaign's `progress` query.
 */
async function restart(
  fault: string,
  restartIt: () => Promise<void>,
  stack: Stack,
  open: () => string[],
  log: (line: string) => void,
): Promise<FaultRecord> {
  const began = Date.now();
  log(`Fault: ${fault}`);
  await restartIt();
  const tookMs = Date.now() - began;
  await waitFor(`the cluster to work again after the ${fault}`, () => clusterWorks(stack, open()), {
    timeoutMs: 300_000,
    intervalMs: 250,
  });
  const recoveredAfterMs = Date.now() - began;
  log(
    `  ${fault}: back in ${(tookMs / 1000).toFixed(1)} s, working again after ${(recoveredAfterMs / 1000).toFixed(1)} s`,
  );
  return {
    fault,
    tookMs,
    recoveredAfterMs,
    note: 'recovered: a workflow start and a worker-answered query succeed',
  };
}

let probes = 0;

async function clusterWorks(stack: Stack, openCampaigns: string[]): Promise<boolean> {
  const { client } = stack;
  return client.connection.withDeadline(Date.now() + 3_000, async () => {
    probes += 1;
    const probe = await client.workflow.start('rehearsalProbe', {
      workflowId: `rehearsal-probe-${process.pid}-${probes}`,
      taskQueue: 'rehearsal-probe',
    });
    await probe.terminate('rehearsal probe: the cluster takes writes');
    const running = openCampaigns[0];
    if (running) await client.workflow.getHandle(running).query('progress');
    return true;
  });
}
