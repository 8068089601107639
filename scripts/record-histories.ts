/**
 * Records the replay fixtures in test/replay/histories/: real runs of `batchCampaign` on the time-skipping
 * Temporal server against the simulator, one per way a campaign can go, plus campaigns caught mid-flight in each
 * phase (what a worker replays when a deploy lands while campaigns are running). The replay test runs them
 * against the current workflow code, so a change that would break a running campaign fails CI.
 *
 * After a deliberately incompatible workflow change (guarded with `patched()`), record a new generation next to
 * the old one: `npm run record-histories -- v2`. Keep the old fixtures, so both paths stay covered.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { batchCampaign } from '../src/workflows/batch-campaign';
import { progressQuery, stopSignal } from '../src/workflows/definitions';
import type { CampaignInput, CampaignPhase } from '../src/workflows/definitions';
import { outreachCampaign } from '../src/workflows/outreach-campaign';
import { outreachProgressQuery, pauseSignal, resumeSignal } from '../src/workflows/outreach-definitions';
import type { OutreachInput, OutreachPhase } from '../src/workflows/outreach-definitions';
import { lifelikeCalls, testAgentId as agentId, threeContactsCsv } from '../test/support/constants';
import { startWorkflowHarness } from '../test/support/workflow-harness';
import type { WorkflowHarness } from '../test/support/workflow-harness';
import { startCampaignWorkflow, waitForPhase } from '../test/support/workflow-steps';

const historiesDir = resolve(__dirname, '..', 'test', 'replay', 'histories');
const taskQueue = 'record-histories';

type Handle = WorkflowHandleWithFirstExecutionRunId<typeof batchCampaign>;
type OutreachHandle = WorkflowHandleWithFirstExecutionRunId<typeof outreachCampaign>;
type History = Awaited<ReturnType<Handle['fetchHistory']>>;

/** One recorded story: starts a campaign, drives it, and returns the histories to keep (one per run). */
type Scenario = (
  harness: WorkflowHarness,
  start: (input?: Partial<CampaignInput>) => Promise<Handle>,
) => Promise<History[]>;

/** Lets the time-skipping server move past the scheduled start, then waits for the phase. */
async function skipUntilPhase(
  { env }: WorkflowHarness,
  handle: Handle,
  phase: CampaignPhase,
  stepMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await handle.query(progressQuery)).phase !== phase) {
    if (Date.now() > deadline) throw new Error(`${handle.workflowId} never reached ${phase}`);
    await env.sleep(stepMs);
  }
}

/** One recorded outreach story, as `Scenario` is for batch campaigns (its waves' histories are batch campaigns'). */
type OutreachScenario = (
  harness: WorkflowHarness,
  start: (input?: Partial<OutreachInput>) => Promise<OutreachHandle>,
) => Promise<History[]>;

/** Lets time pass until the outreach campaign is in `phase`. */
async function skipUntilOutreachPhase(
  { env }: WorkflowHarness,
  handle: OutreachHandle,
  phase: OutreachPhase,
  stepMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await handle.query(outreachProgressQuery)).phase !== phase) {
    if (Date.now() > deadline) throw new Error(`${handle.workflowId} never reached ${phase}`);
    await env.sleep(stepMs);
  }
}

/** Nobody answers: every contact gets its retry wave. */
const retryEveryone: Partial<OutreachInput> = { retry: { on: ['no-answer'], maxAttempts: 2, after: '1h' } };

const outreachScenarios: Record<string, OutreachScenario> = {
  'outreach-completed-with-retry-wave': async (_r, start) => {
    const handle = await start(retryEveryone);
    await handle.result();
    return [await handle.fetchHistory()];
  },
  'outreach-paused-and-resumed': async (harness, start) => {
    const handle = await start();
    await skipUntilOutreachPhase(harness, handle, 'calling');
    await harness.env.sleep(60_000);
    await handle.signal(pauseSignal, 'recording a pause');
    await skipUntilOutreachPhase(harness, handle, 'paused');
    await handle.signal(resumeSignal);
    await handle.result();
    return [await handle.fetchHistory()];
  },
  'outreach-in-flight-calling': async (harness, start) => {
    const handle = await start();
    await skipUntilOutreachPhase(harness, handle, 'calling');
    const snapshot = await handle.fetchHistory();
    await handle.signal(stopSignal, 'recording done');
    await handle.result();
    return [snapshot];
  },
  'outreach-in-flight-waiting-for-retry': async (harness, start) => {
    const handle = await start(retryEveryone);
    await skipUntilOutreachPhase(harness, handle, 'waiting');
    const snapshot = await handle.fetchHistory();
    await handle.signal(stopSignal, 'recording done');
    await handle.result();
    return [snapshot];
  },
};

/** Failing and cancelled campaigns are stories too: wait for the end, whatever it is. */
const finished = async (handle: Handle): Promise<History[]> => {
  await handle.result().catch(() => undefined);
  return [await handle.fetchHistory()];
};

/** Takes the history now, while the campaign is mid-flight, then stops it so nothing is left running. */
async function caughtMidFlight(handle: Handle): Promise<History[]> {
  const snapshot = await handle.fetchHistory();
  await handle.signal(stopSignal, 'recording done');
  await handle.result().catch(() => undefined);
  return [snapshot];
}

const scenarios: Record<string, Scenario> = {
  completed: async (_r, start) => finished(await start()),
  'failed-bad-csv': async (_r, start) => finished(await start({ csv: 'does-not-exist.csv' })),
  'stopped-before-create': async (_r, start) => {
    const handle = await start();
    await handle.signal(stopSignal, 'changed my mind');
    return finished(handle);
  },
  'stopped-while-waiting': async (_r, start) => {
    const handle = await start();
    await waitForPhase(handle, 'waiting');
    await handle.signal(stopSignal, 'wrong list');
    return finished(handle);
  },
  'stopped-while-running': async (harness, start) => {
    const handle = await start();
    await skipUntilPhase(harness, handle, 'running');
    await handle.signal(stopSignal, 'enough calls');
    return finished(handle);
  },
  'cancelled-while-waiting': async (_r, start) => {
    const handle = await start();
    await waitForPhase(handle, 'waiting');
    await handle.cancel();
    return finished(handle);
  },
  'deleted-when-stop-refused': async (harness, start) => {
    harness.simulator.settings.variants.stopWhileScheduled = 'not-found';
    try {
      const handle = await start();
      await waitForPhase(handle, 'waiting');
      await handle.signal(stopSignal, 'not today');
      return await finished(handle);
    } finally {
      harness.simulator.settings.variants.stopWhileScheduled = 'stops';
    }
  },
  // Bolna says `executed` while the last calls are still in post-processing (its spec's names).
  'executed-before-calls-final': async ({ simulator }, start) => {
    const { variants } = simulator.settings;
    Object.assign(variants, { statusNames: 'spec', executedReported: 'before-calls-final' });
    try {
      return await finished(await start());
    } finally {
      Object.assign(variants, { statusNames: 'quickstart', executedReported: 'when-calls-final' });
    }
  },
  'create-response-lost-and-retried': async ({ simulator }, start) => {
    simulator.injectFault({ method: 'POST', path: '/batches', kind: 'lost-response' });
    simulator.injectFault({ method: 'POST', path: /\/schedule$/, kind: 'server-error' });
    return finished(await start());
  },
  'continued-as-new': async ({ env }, start) => {
    const handle = await start({ maxHistoryEvents: 40, pollIntervalSeconds: 10 });
    await handle.result();
    const firstRun = env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
    return [await firstRun.fetchHistory(), await handle.fetchHistory()];
  },
  'in-flight-waiting': async (_r, start) => {
    const handle = await start();
    await waitForPhase(handle, 'waiting');
    return caughtMidFlight(handle);
  },
  'in-flight-running': async (harness, start) => {
    const handle = await start();
    await skipUntilPhase(harness, handle, 'running');
    return caughtMidFlight(handle);
  },
  'in-flight-collecting': async (harness, start) => {
    // Held long enough at the simulator to be seen: time does not skip while an activity runs.
    harness.simulator.injectFault({
      method: 'GET',
      path: /\/executions$/,
      kind: 'latency',
      latencyMs: 8_000,
    });
    const handle = await start({ pollIntervalSeconds: 10 });
    await skipUntilPhase(harness, handle, 'running');
    await skipUntilPhase(harness, handle, 'collecting', 2_000);
    const snapshot = await handle.fetchHistory();
    await handle.result();
    return [snapshot];
  },
};

/**
 * `label` (e.g. `v2`) names a new generation of fixtures (`completed@v2.json`), recorded next to the old ones so
 * campaigns started before a patched change stay covered too.
 */
export async function recordHistories(
  label: string | undefined,
  log: (line: string) => void = console.log,
  /** Only the stories whose names start with this (e.g. `outreach`), so existing fixtures stay as recorded. */
  only = '',
): Promise<string[]> {
  const harness = await startWorkflowHarness({ calls: { ...lifelikeCalls, concurrency: 2 } });
  const worker = await harness.newWorker({ taskQueue });
  const written: string[] = [];
  const keep = async (name: string, histories: History[]) => {
    for (const [index, history] of histories.entries()) {
      const run = histories.length > 1 ? `-run${index + 1}` : '';
      const file = join(historiesDir, `${name}${run}${label ? `@${label}` : ''}.json`);
      await writeFile(file, `${historyToJSON(history)}\n`);
      written.push(file);
      log(`recorded ${file}`);
    }
  };
  try {
    await worker.runUntil(async () => {
      await mkdir(historiesDir, { recursive: true });
      for (const [name, scenario] of Object.entries(scenarios)) {
        if (!name.startsWith(only)) continue;
        const csv = await harness.writeCsv(`${name}.csv`, threeContactsCsv);
        const start = (input: Partial<CampaignInput> = {}) =>
          startCampaignWorkflow(
            harness,
            `campaign-replay-${name}`,
            { agentId, csv, pollIntervalSeconds: 30, ...input },
            taskQueue,
          );
        await keep(name, await scenario(harness, start));
      }
      const { calls } = harness.simulator.settings;
      const outcomes = calls.outcomes;
      for (const [name, scenario] of Object.entries(outreachScenarios)) {
        if (!name.startsWith(only)) continue;
        const csv = await harness.writeCsv(`${name}.csv`, threeContactsCsv);
        const start = (input: Partial<OutreachInput> = {}) =>
          harness.env.client.workflow.start(outreachCampaign, {
            // The fixture file is named as the workflow: its waves' IDs are derived from it, and replay compares them.
            workflowId: name,
            taskQueue,
            args: [{ agentId, csv, pollIntervalSeconds: 30, ...input }],
          });
        if (name.includes('retry')) calls.outcomes = { completed: 0, 'no-answer': 1, busy: 0, failed: 0 };
        try {
          await keep(name, await scenario(harness, start));
        } finally {
          calls.outcomes = outcomes;
        }
      }
    });
  } finally {
    await harness.close();
  }
  return written;
}

if (require.main === module) {
  recordHistories(process.argv[2] || undefined, console.log, process.argv[3]).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
