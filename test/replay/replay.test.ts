import { readFile, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Worker } from '@temporalio/worker';
import type { ReplayResult } from '@temporalio/worker';
import { installQuietRuntime } from '../support/quiet-runtime';

const historiesDir = join(__dirname, 'histories');

/**
 * Safe deploys: histories recorded from real campaigns (scripts/record-histories.ts), finished ones and ones
 * caught mid-flight in each phase, replayed against the current workflow code. A change that would break a
 * campaign already running (a step added, removed or reordered without `patched()`) fails here, before it ships.
 */

const expectedFixtures = [
  'completed',
  'failed-bad-csv',
  'stopped-before-create',
  'stopped-while-waiting',
  'stopped-while-running',
  'cancelled-while-waiting',
  'deleted-when-stop-refused',
  'create-response-lost-and-retried',
  // Recorded before "done" read the call counts: its campaign collected on an early `executed`.
  'executed-before-calls-final',
  'continued-as-new-run1',
  'continued-as-new-run2',
  'in-flight-waiting',
  'in-flight-running',
  'in-flight-collecting',
  // outreachCampaign: a retry wave, a pause and resume, and caught mid-wave and waiting for a retry wave.
  'outreach-completed-with-retry-wave',
  'outreach-paused-and-resumed',
  'outreach-in-flight-calling',
  'outreach-in-flight-waiting-for-retry',
];

beforeAll(() => {
  installQuietRuntime();
});

async function loadHistories(): Promise<{ workflowId: string; history: unknown }[]> {
  const files = (await readdir(historiesDir)).filter((file) => file.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => ({
      workflowId: basename(file, '.json'),
      history: JSON.parse(await readFile(join(historiesDir, file), 'utf8')) as unknown,
    })),
  );
}

async function replayAll(workflowsPath: string): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  for await (const result of Worker.runReplayHistories(
    { workflowsPath, replayName: 'campaign fixtures' },
    await loadHistories(),
  )) {
    results.push(result);
  }
  return results;
}

test('a fixture is committed for every way a campaign goes and every phase it can be caught in', async () => {
  const names = (await loadHistories()).map((h) => h.workflowId);
  expect(names).toEqual(expect.arrayContaining(expectedFixtures));
});

test('every recorded history replays against the current workflow code', async () => {
  const results = await replayAll(require.resolve('../../src/workflows'));
  expect(results.map((r) => r.workflowId)).toEqual(expect.arrayContaining(expectedFixtures));
  const failures = results.filter((r) => r.error).map((r) => `${r.workflowId}: ${String(r.error)}`);
  expect(failures).toEqual([]);
}, 120_000);

test('an incompatible workflow change is caught', async () => {
  const results = await replayAll(require.resolve('./altered-workflow'));
  const failed = results.filter((r) => r.error);
  // Every history that got as far as its first step disagrees with the altered code.
  expect(failed.length).toBeGreaterThanOrEqual(expectedFixtures.length - 1);
  expect(failed.map((r) => r.error?.name)).toContain('DeterminismViolationError');
  const outreachFailures = failed.filter((r) => r.workflowId.startsWith('outreach-'));
  expect(outreachFailures.map((r) => r.error?.name)).toEqual(
    expectedFixtures.filter((name) => name.startsWith('outreach-')).map(() => 'DeterminismViolationError'),
  );
}, 120_000);
