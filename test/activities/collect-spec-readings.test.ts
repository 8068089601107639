import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultLogger } from '@temporalio/worker';
import type { LogEntry } from '@temporalio/worker';
import { parse } from 'csv-parse/sync';
import { startSimulator } from '../../simulator/server';
import type { RunningSimulator, SimulatorOptions } from '../../simulator/server';
import type { CollectInput } from '../../src/activities/collect-results';
import { testApiKey as apiKey } from '../support/constants';
import { collectResults, finishedBatch } from '../support/finished-batch';
import type { CollectBench } from '../support/finished-batch';
import { ManualClock } from '../support/manual-clock';

/**
 * collectResults on the simulator's readings of Bolna: `conversation_time` for the conversation's length, Bolna's
 * own retries kept in the results (`retry_count`, `retry_history`, `batch_run_details.retried`), and rows Bolna
 * dropped at upload (`valid_contacts` below `total_contacts`) reported as dropped, not as missing.
 */

const t0 = Date.parse('2026-06-23T12:00:00Z');
const hour = 3_600_000;

let simulator: RunningSimulator;
let clock: ManualClock;
let dir: string;
let logs: LogEntry[];
let bench: CollectBench;

async function startOn(options: SimulatorOptions): Promise<void> {
  clock = new ManualClock(t0);
  simulator = await startSimulator({
    apiKey,
    clock,
    ...options,
    calls: { ringMs: 10_000, talkMs: 60_000, postProcessingMs: 150_000, ...options.calls },
  });
  bench = { simulator, clock, dir };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'collect-spec-'));
  logs = [];
});
afterEach(async () => {
  await simulator.close();
  await rm(dir, { recursive: true, force: true });
});

function collect(input: CollectInput) {
  return collectResults(bench, new DefaultLogger('INFO', (entry) => logs.push(entry)), input);
}

async function csvRows(path: string): Promise<Record<string, string>[]> {
  return parse<Record<string, string>>(await readFile(path), { columns: true });
}

const warnings = () => logs.filter((entry) => entry.level === 'WARN').map((entry) => entry.message);

test('conversation_time counts as the conversation’s length when conversation_duration is absent', async () => {
  await startOn({ calls: { outcomes: { completed: 1 } }, variants: { durationField: 'conversation_time' } });
  const summary = await collect(await finishedBatch(bench, 3));
  expect(summary).toMatchObject({ totalCalls: 3, totalDurationSeconds: 180 });
  const rows = await csvRows(summary.files.csv);
  expect(rows.map((row) => row.conversation_duration_seconds)).toEqual(['60', '60', '60']);
});

test('Bolna’s retries are kept: retry_count and retry_history in the CSV, everything in the JSON Lines', async () => {
  await startOn({ calls: { outcomes: { 'no-answer': 1 }, retryOutcomes: { completed: 1 } } });
  const input = await finishedBatch(bench, 2, {
    retryConfig: { enabled: true, max_retries: 1, retry_intervals_minutes: [30] },
    collectAfterMs: 2 * hour,
  });
  const summary = await collect(input);
  expect(summary).toMatchObject({ totalCalls: 2, counts: { completed: 2 }, answered: 2 });
  const rows = await csvRows(summary.files.csv);
  expect(rows.map((row) => row.retry_count)).toEqual(['1', '1']);
  const history = [{ attempt: 1, status: 'no-answer', at: expect.any(String) as unknown }];
  for (const row of rows) expect(JSON.parse(row.retry_history!)).toEqual(history);
  const kept = (await readFile(summary.files.jsonl, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  for (const execution of kept) {
    expect(execution).toMatchObject({
      retry_count: 1,
      retry_history: history,
      batch_run_details: { retried: 1 },
      scheduled_at: expect.any(String) as unknown,
    });
  }
});

test('rows Bolna dropped at upload are reported as dropped (with a warning), not searched for nor missing', async () => {
  await startOn({ variants: { droppedContacts: 2 } });
  const summary = await collect(await finishedBatch(bench, 6));
  expect(summary).toMatchObject({ totalCalls: 4, droppedRows: 2, missingRows: 0 });
  expect(simulator.requests.filter((r) => r.path.startsWith('/v2/'))).toEqual([]);
  expect(warnings()).toEqual([expect.stringMatching(/dropped some rows/)]);
});

test('dropped and missing rows are told apart', async () => {
  await startOn({ variants: { droppedContacts: 1, omittedExecutions: { count: 1, from: 'every-listing' } } });
  const summary = await collect(await finishedBatch(bench, 5));
  expect(summary).toMatchObject({ totalCalls: 3, droppedRows: 1, missingRows: 1 });
  expect(warnings()).toEqual([
    expect.stringMatching(/dropped some rows/),
    expect.stringMatching(/no execution for some rows/),
  ]);
});

test('a batch that kept every row reports none dropped', async () => {
  await startOn({});
  expect(await collect(await finishedBatch(bench, 3))).toMatchObject({
    totalCalls: 3,
    droppedRows: 0,
    missingRows: 0,
  });
  expect(warnings()).toEqual([]);
});
