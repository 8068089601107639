import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DefaultLogger } from '@temporalio/worker';
import type { LogEntry } from '@temporalio/worker';
import type { CollectInput } from '../../src/activities/collect-results';
import type { CampaignReport } from '../../src/report/report-data';
import { collectResults, finishedBatch, startCollectBench } from '../support/finished-batch';

/**
 * collectResults writes the campaign's report beside its results, with the same totals; and a report that cannot
 * be written costs the campaign nothing but a logged warning.
 */

let dir: string;
let logs: LogEntry[];
let bench: Awaited<ReturnType<typeof startCollectBench>>;

beforeEach(async () => {
  bench = await startCollectBench('collect-report');
  ({ dir } = bench);
  logs = [];
});
afterEach(() => bench.close());

function collect(input: CollectInput) {
  return collectResults(bench, new DefaultLogger('INFO', (entry) => logs.push(entry)), input);
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

test('report.html and report.json are written beside the results, with the totals of the summary', async () => {
  const input = await finishedBatch(bench, 20);
  const summary = await collect({ ...input, warnings: ['a stop arrived after Bolna had finished'] });
  const folder = dirname(summary.files.csv);
  expect(summary.files).toEqual({
    jsonl: join(folder, 'executions.jsonl'),
    csv: join(folder, 'executions.csv'),
    reportHtml: join(folder, 'report.html'),
    reportJson: join(folder, 'report.json'),
  });
  expect((await readdir(folder)).sort()).toEqual([
    'executions.csv',
    'executions.jsonl',
    'report.html',
    'report.json',
  ]);

  const report = JSON.parse(await readFile(summary.files.reportJson!, 'utf8')) as CampaignReport;
  expect(report.calls).toEqual({ total: summary.totalCalls, unreadableLines: 0 });
  expect(report.calls.total).toBe(20);
  // Outcomes are Bolna's statuses with `completed` split into answered and voicemail.
  const outcomes = Object.fromEntries(report.outcomes.map(({ outcome, calls }) => [outcome, calls]));
  const { completed = 0, ...otherStatuses } = summary.counts;
  expect(outcomes).toEqual({
    ...otherStatuses,
    ...(summary.answered > 0 ? { answered: summary.answered } : {}),
    ...(summary.voicemail > 0 ? { voicemail: summary.voicemail } : {}),
  });
  expect(summary.answered + summary.voicemail).toBe(completed);
  expect(summary.answered).toBeGreaterThan(0);
  expect(sum(report.outcomes.map(({ calls }) => calls))).toBe(summary.totalCalls);

  expect(report.cost.totalCents).toBeCloseTo(summary.totalCostCents, 6);
  expect(report.cost.totalCents).toBeGreaterThan(0);
  expect(report.cost.perAnsweredCallCents).toBeCloseTo(summary.totalCostCents / summary.answered, 4);
  expect(report.talkTime.answeredCalls).toBe(summary.answered);
  expect(sum(report.talkTime.bins.map(({ calls }) => calls))).toBe(summary.answered);
  // The simulator's agent extracts `{ simulated: true }` from every answered call.
  expect(report.extractedData.fields).toEqual([
    { field: 'simulated', calls: completed, empty: 0, booleans: { true: completed, false: 0 } },
  ]);
  expect(report.campaign).toMatchObject({
    batchIds: [input.batchId],
    agentId: input.agentId,
    rows: 20,
    missingRows: summary.missingRows,
    droppedRows: summary.droppedRows,
    warnings: ['a stop arrived after Bolna had finished'],
  });

  // The simulator's transcripts quote the phone numbers; the contacts are named P0, P1, ...
  const html = await readFile(summary.files.reportHtml!, 'utf8');
  for (const text of [html, JSON.stringify(report)]) {
    expect(text.match(/\+9198\d+|assistant:|simulated call to/g)).toBeNull();
  }
  expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(3);
});

test('a report that cannot be written leaves the results and the summary whole, and the worker logs why', async () => {
  const input = await finishedBatch(bench, 6);
  // Something already sits where report.json goes: a folder with a file in it cannot be replaced by a file.
  const folder = join(dir, 'campaign-c');
  await mkdir(join(folder, 'report.json'), { recursive: true });
  await writeFile(join(folder, 'report.json', 'keep'), 'not ours');

  const summary = await collect(input);
  expect(summary).toMatchObject({ totalCalls: 6, missingRows: 0 });
  expect(summary.files).toEqual({
    jsonl: join(folder, 'executions.jsonl'),
    csv: join(folder, 'executions.csv'),
  });
  const executions = (await readFile(summary.files.jsonl, 'utf8')).trim().split('\n');
  expect(executions).toHaveLength(6);
  const warning = logs.find(
    (entry) => entry.level === 'WARN' && /report could not be written/.test(entry.message),
  );
  expect(warning?.meta?.batchId).toBe(input.batchId);
  expect(String(warning?.meta?.error)).toMatch(/report\.json/);
  // No partial file is left behind by the failed attempt.
  expect((await readdir(folder)).filter((name) => name.endsWith('.partial'))).toEqual([]);
});
