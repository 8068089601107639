import { utc } from '../../src/platform/readable';
import { campaignDetails } from '../../src/workflows/current-details';
import type { CampaignState } from '../../src/workflows/definitions';

/** The Web UI's current details: a table an operator reads at a glance, with ids, counts and times only. */

const batchId = '0123456789abcdef0123456789abcdef';

test('while the batch runs: phase, batch, calls by status, answered, cost pending, next poll, deadline', () => {
  const state: CampaignState = {
    phase: 'running',
    batchId,
    batchStatus: 'running',
    startsAt: '2026-12-02T12:10:00.000Z',
    runningDeadline: '2026-12-02T13:25:00.000Z',
    counts: { queued: 2, completed: 5, 'in-progress': 1 },
    stopRequested: false,
    warnings: ["Bolna reports batch status 'paused', which its docs do not list"],
  };
  expect(campaignDetails(state, Date.parse('2026-12-02T12:31:30Z')).split('\n')).toEqual([
    '| campaign | |',
    '| --- | --- |',
    '| phase | running |',
    `| batch | ${batchId} (running) |`,
    '| calls start | 2026-12-02 12:10 UTC |',
    '| calls by status | completed 5 · queued 2 · in-progress 1 |',
    '| answered | 5 |',
    '| cost so far | known when the results are collected |',
    '| next poll | 2026-12-02 12:31:30 UTC |',
    '| deadline | 2026-12-02 13:25 UTC |',
    "| warning | Bolna reports batch status 'paused', which its docs do not list |",
  ]);
});

test('once collected, the results speak: answered, cost and the report from the summary', () => {
  const details = campaignDetails({
    phase: 'completed',
    batchId,
    batchStatus: 'completed',
    counts: {},
    stopRequested: false,
    summary: {
      batchId,
      batchStatus: 'completed',
      totalCalls: 3,
      counts: { completed: 2, busy: 1 },
      answered: 2,
      voicemail: 0,
      balanceLow: 0,
      totalDurationSeconds: 90,
      totalCostCents: 1234,
      missingRows: 0,
      droppedRows: 0,
      files: {
        jsonl: '/r/x.jsonl',
        csv: '/r/x.csv',
        reportHtml: '/r/report.html',
        reportJson: '/r/report.json',
      },
    },
  });
  expect(details).toContain('| calls by status | completed 2 · busy 1 |');
  expect(details).toContain('| answered | 2 |');
  expect(details).toContain('| cost | 12.34 (Bolna credits) |');
  // The report (aggregates) by path; the per-call results (personal data) not.
  expect(details).toContain('| report | `/r/report.html` |');
  expect(details).not.toContain('next poll');
  expect(details).not.toContain('/r/x');
});

test('before the batch exists there is only the phase; a value cannot break the table', () => {
  expect(campaignDetails({ phase: 'validating', counts: {}, stopRequested: false })).toBe(
    '| campaign | |\n| --- | --- |\n| phase | validating |',
  );
  const failed = campaignDetails({ phase: 'failed', counts: {}, stopRequested: false, error: 'a | b\nc' });
  expect(failed).toContain('| error | a \\| b c |');
  expect(utc(Date.parse('2026-01-02T03:04:05Z'))).toBe('2026-01-02 03:04 UTC');
});
