import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import type { LogEntry } from '@temporalio/worker';
import type { RunningSimulator } from '../../simulator/server';
import type { CollectInput } from '../../src/activities/collect-results';
import { testAgentId as agentId, unknownAgentId } from '../support/constants';
import { collectResults, finishedBatch, startCollectBench } from '../support/finished-batch';

/**
 * collectResults against the simulator's listing variants: pages followed, executions the batch listing left out
 * fetched from the agent's v2 listing (in windows of at most 7 days), and rows no listing has reported.
 */

const day = 24 * 3_600_000;
const t0 = Date.parse('2026-06-23T12:00:00Z');

let simulator: RunningSimulator;
let dir: string;
let logs: LogEntry[];
let bench: Awaited<ReturnType<typeof startCollectBench>>;

beforeEach(async () => {
  bench = await startCollectBench('collect-results');
  ({ simulator, dir } = bench);
  logs = [];
});
afterEach(() => bench.close());

function collect(input: CollectInput) {
  return collectResults(bench, new DefaultLogger('INFO', (entry) => logs.push(entry)), input);
}

async function namesIn(jsonlPath: string): Promise<string[]> {
  const lines = (await readFile(jsonlPath, 'utf8')).trim().split('\n').filter(Boolean);
  return lines
    .map(
      (line) =>
        (JSON.parse(line) as { context_details: { recipient_data: { name: string } } }).context_details,
    )
    .map((details) => details.recipient_data.name)
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

const everyName = (rows: number) => Array.from({ length: rows }, (_, i) => `P${i}`);
const requestsTo = (pattern: RegExp) => simulator.requests.filter((r) => pattern.test(r.path));
const warnings = () => logs.filter((entry) => entry.level === 'WARN').map((entry) => entry.message);

test('a paged batch listing is followed to its last page: every row, once', async () => {
  Object.assign(simulator.settings.variants, { executionsEnvelope: 'paged', executionsPageSize: 4 });
  const input = await finishedBatch(bench, 10);
  const summary = await collect(input);
  expect(summary).toMatchObject({ totalCalls: 10, missingRows: 0 });
  expect(await namesIn(summary.files.jsonl)).toEqual(everyName(10));
  expect(requestsTo(/\/executions$/).map((r) => r.query.page_number ?? '1')).toEqual(['1', '2', '3']);
  expect(warnings()).toEqual([]);
});

test('executions the batch listing leaves out come from the agent’s v2 listing, without doubles', async () => {
  simulator.settings.variants.omittedExecutions = { count: 3, from: 'batch-listing' };
  simulator.settings.variants.agentExecutionsWindow = 'required';
  const input = await finishedBatch(bench, 10);
  const summary = await collect(input);
  expect(summary).toMatchObject({ totalCalls: 10, missingRows: 0 });
  expect(await namesIn(summary.files.jsonl)).toEqual(everyName(10));
  const v2 = requestsTo(/^\/v2\//);
  expect(v2.map((r) => [r.status, r.query.batch_id])).toEqual([[200, input.batchId]]);
  expect(warnings()).toEqual([]);
});

test('rows no listing has are reported as missing, after the v2 listing was searched over the batch’s whole life in windows', async () => {
  simulator.settings.variants.omittedExecutions = { count: 2, from: 'every-listing' };
  simulator.settings.variants.agentExecutionsWindow = 'required';
  // Collected 10 days after the upload: more than one 7-day window.
  const input = await finishedBatch(bench, 8, { collectAfterMs: 10 * day });
  const summary = await collect(input);
  expect(summary).toMatchObject({ totalCalls: 6, missingRows: 2 });
  expect(await namesIn(summary.files.jsonl)).toEqual(everyName(6));
  expect(warnings()).toEqual([expect.stringMatching(/no execution for some rows/)]);

  const windows = requestsTo(/^\/v2\//).map(
    (r) => [Date.parse(r.query.from!), Date.parse(r.query.to!)] as const,
  );
  expect(windows.length).toBeGreaterThanOrEqual(2);
  expect(windows[0]![0]).toBeLessThanOrEqual(t0);
  expect(windows.at(-1)![1]).toBeGreaterThanOrEqual(t0 + 10 * day);
  for (const [index, [from, to]] of windows.entries()) {
    expect(to - from).toBeLessThanOrEqual(7 * day);
    if (index > 0) expect(from).toBeLessThanOrEqual(windows[index - 1]![1]);
  }
});

test('a v2 listing that refuses (here: an agent Bolna does not know) leaves the rows reported missing, not the campaign failed', async () => {
  simulator.settings.variants.omittedExecutions = { count: 1, from: 'batch-listing' };
  const input = await finishedBatch(bench, 4);
  simulator.settings.agents = [agentId];
  const summary = await collect({ ...input, agentId: unknownAgentId });
  expect(summary).toMatchObject({ totalCalls: 3, missingRows: 1 });
  expect(requestsTo(/^\/v2\//).map((r) => r.status)).toEqual([404]);
  expect(warnings()).toEqual([
    expect.stringMatching(/agent executions listing failed/),
    expect.stringMatching(/no execution for some rows/),
  ]);
});

test('a v2 listing that fails in a way a retry may fix fails the attempt, leaving no partial files', async () => {
  simulator.settings.variants.omittedExecutions = { count: 1, from: 'batch-listing' };
  const input = await finishedBatch(bench, 4);
  simulator.injectFault({ path: /^\/v2\//, kind: 'server-error', status: 503 });
  const failure = await collect(input).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({ type: 'BolnaServerError', nonRetryable: false });
  expect(await readdir(join(dir, 'campaign-c'))).toEqual([]);
});

test('a collect scheduled before the row count was passed (no expectedRows) reads the batch listing only', async () => {
  simulator.settings.variants.omittedExecutions = { count: 1, from: 'batch-listing' };
  const { batchId, campaignKey, variableColumns } = await finishedBatch(bench, 4);
  const summary = await collect({ batchId, campaignKey, variableColumns });
  expect(summary).toMatchObject({ totalCalls: 3, missingRows: 0 });
  expect(requestsTo(/^\/v2\//)).toEqual([]);
});
