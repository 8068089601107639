import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@temporalio/worker';
import { startSimulator } from '../../simulator/server';
import type { RunningSimulator } from '../../simulator/server';
import { createActivities } from '../../src/activities';
import type { CollectInput } from '../../src/activities/collect-results';
import { BolnaClient } from '../../src/bolna/client';
import { inActivity } from './activity-context';
import { simulatorActivityDeps } from './activity-deps';
import { testAgentId as agentId, testApiKey as apiKey } from './constants';
import { ManualClock } from './manual-clock';

/** What the collect tests share: a batch the simulator has run to its end, and collectResults run on it. */

export interface CollectBench {
  simulator: RunningSimulator;
  /** The simulator's clock, moved to the batch's end by `finishedBatch`. */
  clock: ManualClock;
  /** Where the contacts are written and the results collected to. */
  dir: string;
}

/**
 * A simulator on a manual clock at 2026-06-23 12:00 UTC and a fresh folder named `<name>-XXXXXX`; `close()` takes
 * both down.
 */
export async function startCollectBench(name: string): Promise<CollectBench & { close(): Promise<void> }> {
  const clock = new ManualClock(Date.parse('2026-06-23T12:00:00Z'));
  const simulator = await startSimulator({ apiKey, clock });
  const dir = await mkdtemp(join(tmpdir(), `${name}-`));
  return {
    simulator,
    clock,
    dir,
    close: async () => {
      await simulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A batch of `rows` contacts (named P0, P1, ...) uploaded and scheduled at the simulator five minutes after the
 * clock's time, then the clock moved on by `collectAfterMs` (an hour); returns the collect input for it.
 */
export async function finishedBatch(
  { simulator, clock, dir }: CollectBench,
  rows: number,
  options: { retryConfig?: Record<string, unknown>; collectAfterMs?: number } = {},
): Promise<CollectInput> {
  const csvPath = join(dir, `contacts-${rows}.csv`);
  const lines = Array.from({ length: rows }, (_, i) => `+9198${String(i).padStart(8, '0')},P${i}`);
  await writeFile(csvPath, `contact_number,name\n${lines.join('\n')}\n`);
  const bolna = new BolnaClient({ apiKey, baseUrl: simulator.url });
  const { batch_id: batchId } = await bolna.createBatch({
    agentId,
    csvPath,
    fileName: 'c.csv',
    ...(options.retryConfig ? { retryConfig: options.retryConfig } : {}),
  });
  await bolna.scheduleBatch(batchId, { scheduledAt: new Date(clock.now() + 5 * 60_000) });
  clock.advance(options.collectAfterMs ?? 3_600_000);
  return { batchId, campaignKey: 'campaign-c', variableColumns: ['name'], agentId, expectedRows: rows };
}

/** collectResults, as the worker builds it, run in a mock activity context that logs to `logger`. */
export function collectResults({ simulator, clock, dir }: CollectBench, logger: Logger, input: CollectInput) {
  const activities = createActivities(
    simulatorActivityDeps({ bolnaUrl: simulator.url, clock, resultsDir: dir }),
  );
  return inActivity(activities.collectResults, { logger }, input);
}
