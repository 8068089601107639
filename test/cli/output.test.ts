import { PassThrough } from 'node:stream';
import {
  describePause,
  describeProgress,
  describeResult,
  describeStop,
  progressView,
} from '../../src/cli/output';
import type { CampaignProgress, ResultsSummary } from '../../src/workflows/definitions';

/** What people read: one line per state, the results table, and live progress. */

const batchId = '6a1f0c9e2b7d4e3f8a5b1c0d9e8f7a6b';
const waiting: CampaignProgress = {
  phase: 'waiting',
  batchId,
  batchStatus: 'scheduled',
  startsAt: '2026-12-01T10:00:00+05:30',
  counts: {},
  stopRequested: false,
};

test('a state reads as one line: phase, batch, start, counts, stop, error and warnings', () => {
  expect(describeProgress(waiting)).toBe(
    `phase waiting · batch ${batchId} (scheduled) · calls start at 2026-12-01T10:00:00+05:30`,
  );
  const running: CampaignProgress = {
    ...waiting,
    phase: 'running',
    batchStatus: 'running',
    counts: { completed: 2, 'in-progress': 1 },
    stopRequested: true,
    stopReason: 'wrong list',
    error: 'Bolna answered 503',
    warnings: ['unknown batch status paused'],
  };
  expect(describeProgress(running)).toBe(
    `phase running · batch ${batchId} (running) · completed 2, in-progress 1 · stopping: wrong list · ` +
      'error: Bolna answered 503 · warning: unknown batch status paused',
  );
  expect(describeProgress({ phase: 'validating', counts: {}, stopRequested: false })).toBe(
    'phase validating',
  );
});

test('a stop says what happened: taken, too late, or nothing left to stop', () => {
  expect(describeStop({ workflowId: 'campaign-dec', kind: 'batch', stopRequested: true })).toBe(
    'Stop sent to batch campaign campaign-dec: it stops its batch and collects the calls made so far',
  );
  expect(
    describeStop({ workflowId: 'campaign-dec', kind: 'batch', stopRequested: false, status: 'COMPLETED' }),
  ).toBe('Batch campaign campaign-dec already ended (completed); nothing to stop');
  expect(
    describeStop({ workflowId: 'campaign-dec', kind: 'batch', stopRequested: false, phase: 'collecting' }),
  ).toBe('Batch campaign campaign-dec is already collecting: nothing left to stop');
});

test('a stop or pause of an outreach campaign speaks of an outreach campaign and its wave, not of a batch', () => {
  const lines = [
    describeStop({ workflowId: 'outreach-dec', kind: 'outreach', stopRequested: true }),
    describeStop({ workflowId: 'outreach-dec', kind: 'outreach', stopRequested: false, status: 'COMPLETED' }),
    describeStop({ workflowId: 'outreach-dec', kind: 'outreach', stopRequested: false, phase: 'finishing' }),
    describePause('pause', { workflowId: 'outreach-dec', signalled: true, paused: true, phase: 'paused' }),
    describePause('resume', { workflowId: 'outreach-dec', signalled: false, status: 'COMPLETED' }),
  ];
  expect(lines).toEqual([
    'Stop sent to outreach campaign outreach-dec: it stops its running wave, starts no other, and collects the calls made so far',
    'Outreach campaign outreach-dec already ended (completed); nothing to stop',
    'Outreach campaign outreach-dec is already finishing: nothing left to stop',
    'Pause sent to outreach campaign outreach-dec: it is paused (phase paused)',
    'Outreach campaign outreach-dec already ended (completed); nothing to resume',
  ]);
  for (const line of lines) expect(line).not.toMatch(/batch/i);
});

const summary: ResultsSummary = {
  batchId,
  batchStatus: 'completed',
  totalCalls: 10,
  counts: { busy: 2, completed: 7, 'balance-low': 1 },
  answered: 6,
  voicemail: 1,
  balanceLow: 1,
  totalDurationSeconds: 301.6,
  totalCostCents: 2745,
  missingRows: 0,
  droppedRows: 0,
  files: {
    jsonl: '/results/campaign-dec/results.jsonl',
    csv: '/results/campaign-dec/results.csv',
    reportHtml: '/results/campaign-dec/report.html',
    reportJson: '/results/campaign-dec/report.json',
  },
};

const cells = (table: string) =>
  table.split('\n').map((line) =>
    line
      .split('│')
      .map((cell) => cell.trim())
      .filter(Boolean),
  );

test('a result with calls: headline, counts most first, totals, where the files are, and a wallet warning', () => {
  const text = describeResult({ outcome: 'completed', ...summary });
  expect(text.split('\n')[0]).toBe('Campaign completed');
  const rows = cells(text).filter((row) => row.length === 2);
  expect(rows.slice(0, 4)).toEqual([
    ['call status', 'calls'],
    ['completed', '7'],
    ['busy', '2'],
    ['balance-low', '1'],
  ]);
  expect(rows).toEqual(
    expect.arrayContaining([
      ['batch', `${batchId} (completed)`],
      ['calls', '10'],
      ['answered', '6'],
      ['voicemail', '1'],
      ['talk time', '302 s'],
      ['cost', '27.45 (Bolna credits)'],
      ['results (JSON Lines)', summary.files.jsonl],
      ['results (CSV)', summary.files.csv],
      ['report', summary.files.reportHtml],
    ]),
  );
  expect(text).toMatch(
    /\nWarning: 1 call\(s\) were not placed because the Bolna wallet ran out \(balance-low\)/,
  );
  expect(text).not.toMatch(/dropped|no result/);
});

test('results collected without a report (before reports, or writing it failed) show no report row', () => {
  const { jsonl, csv } = summary.files;
  const text = describeResult({ outcome: 'completed', ...summary, files: { jsonl, csv } });
  expect(text).toContain(csv);
  expect(cells(text).filter(([label]) => label === 'report')).toEqual([]);
});

test('rows Bolna dropped or never listed are warned about', () => {
  const text = describeResult({ outcome: 'completed', ...summary, droppedRows: 2, missingRows: 3 });
  expect(text).toMatch(/\nWarning: Bolna dropped 2 row\(s\) of the CSV as invalid contacts/);
  expect(text).toMatch(/\nWarning: 3 row\(s\) have no result in either of Bolna's executions listings/);
});

test('a result without calls, stopped or timed out, says so, with its warnings', () => {
  expect(describeResult({ outcome: 'stopped', stopReason: 'wrong list' })).toBe(
    'Campaign stopped (wrong list); no calls were made',
  );
  expect(describeResult({ outcome: 'stopped' })).toBe(
    'Campaign stopped (no reason given); no calls were made',
  );
  expect(describeResult({ outcome: 'timed-out', warnings: ['a stop arrived late', 'Bolna was slow'] })).toBe(
    'Campaign timed out: the batch ran past its deadline; no calls were made\n' +
      'Warning: a stop arrived late\nWarning: Bolna was slow',
  );
});

/** A stream that records what is written to it, as a pipe or (with `isTTY`) a terminal would show it. */
function recordingStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 100 });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, written: () => text };
}

const running = (completed: number): CampaignProgress => ({
  ...waiting,
  phase: 'running',
  batchStatus: 'running',
  csv: { rows: 3, variableColumns: [], cleanCsvPath: '/tmp/clean.csv', sha256: '0'.repeat(64) },
  counts: { completed, 'in-progress': 3 - completed },
});

test('in a log or a pipe, progress is one line per change', async () => {
  const { stream, written } = recordingStream(false);
  const view = progressView(stream);
  for (const progress of [waiting, waiting, running(1), running(1), running(2)]) view.show(progress);
  view.close();
  await new Promise(setImmediate);
  expect(written()).toBe(
    [waiting, running(1), running(2)].map((progress) => `${describeProgress(progress)}\n`).join(''),
  );
});

test('on a terminal, progress is a bar of calls finished once the row count is known', async () => {
  const { stream, written } = recordingStream(true);
  const view = progressView(stream);
  view.show(running(2));
  view.close();
  await new Promise(setImmediate);
  expect(written()).toContain('2/3 calls finished · running · running');
  expect(written()).not.toContain('phase running');
});
