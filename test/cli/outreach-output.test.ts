import {
  describeOutreachResult,
  outreachDescription,
  outreachProgressLine,
  outreachStatus,
} from '../../src/cli/outreach-output';
import type { OutreachProgress, OutreachResult } from '../../src/workflows/outreach-definitions';

/** What operators read of an outreach campaign: contacts by state, each wave, spend, the next wave, the files. */

const contacts = {
  pending: 0,
  'in-wave': 0,
  'retry-waiting': 4,
  answered: 5,
  exhausted: 1,
  suppressed: 2,
  expired: 0,
};
const between: OutreachProgress = {
  phase: 'waiting',
  contacts,
  rows: 12,
  waves: [
    {
      number: 1,
      workflowId: 'outreach-spring-wave-1',
      batchId: 'batch-one',
      contacts: 10,
      startAt: '2026-12-01T04:30:00.000Z',
      counts: { completed: 5, 'no-answer': 4, busy: 1 },
      costCents: 1250,
      outcome: 'completed',
    },
  ],
  wavesRun: 1,
  spendCents: 1250,
  goalReached: 2,
  nextWave: { at: '2026-12-01T06:40:00.000Z', why: '4 contacts due for a retry' },
  paused: false,
  stopRequested: false,
};

test('status: phase, contacts by state (zeros included), each wave, spend, the next wave and why then', () => {
  expect(outreachStatus('outreach-spring', between).split('\n')).toEqual([
    'outreach-spring: outreach, phase waiting · 1 wave(s) · spend 12.50 (Bolna credits)',
    'contacts: pending 0 · in-wave 0 · retry-waiting 4 · answered 5 · exhausted 1 · suppressed 2 · expired 0',
    '┌──────┬───────────┬──────────┬──────────────────────┬──────────────────────────────────┬───────┬───────────┐',
    '│ wave │ batch     │ contacts │ start                │ calls                            │ cost  │ outcome   │',
    '├──────┼───────────┼──────────┼──────────────────────┼──────────────────────────────────┼───────┼───────────┤',
    '│ 1    │ batch-one │ 10       │ 2026-12-01 04:30 UTC │ completed 5, no-answer 4, busy 1 │ 12.50 │ completed │',
    '└──────┴───────────┴──────────┴──────────────────────┴──────────────────────────────────┴───────┴───────────┘',
    'next wave: 2026-12-01 06:40 UTC (4 contacts due for a retry)',
    'goal: 2 contacts reached it',
  ]);
});

test('status of a paused campaign whose wave was stopped; a running wave; seconds when a start has them', () => {
  const paused: OutreachProgress = {
    ...between,
    phase: 'paused',
    waves: [
      { ...between.waves[0]!, outcome: 'stopped', stopReason: 'paused: offer changed' },
      { number: 2, workflowId: 'w-2', contacts: 4, startAt: '2026-12-01T06:40:10.000Z' },
    ],
    wavesRun: 52,
    paused: true,
    pauseReason: 'offer changed',
    stopRequested: true,
    stopReason: 'wrong list',
    warnings: ['Bolna did not place 1 call'],
  };
  delete paused.nextWave;
  const text = outreachStatus('outreach-spring', paused);
  expect(text).toMatch(/│ 1 +│ batch-one │ .*│ stopped: paused: offer changed │/);
  expect(text).toMatch(/│ 2 +│ +│ 4 +│ 2026-12-01 06:40:10 UTC │ +│ +│ running +│/);
  expect(text).toContain("(50 earlier wave(s) are in the campaign's results)");
  expect(text).toContain('paused: offer changed (resume goes on)');
  expect(text).toContain('stop: wrong list');
  expect(text).not.toContain('next wave');
  expect(text.endsWith('\nWarning: Bolna did not place 1 call')).toBe(true);
});

test('a watched outreach campaign reads as one line per state: non-zero contacts, the last wave, spend', () => {
  expect(outreachProgressLine(between)).toBe(
    'phase waiting · contacts retry-waiting 4, answered 5, exhausted 1, suppressed 2 · wave 1: 10 contacts from ' +
      '2026-12-01 04:30 UTC, completed · spend 12.50 · next wave: 2026-12-01 06:40 UTC (4 contacts due for a retry) · ' +
      'goal: 2 contacts reached it',
  );
  expect(
    outreachProgressLine({ ...between, phase: 'preparing', contacts: { ...contacts, ...zero }, waves: [] }),
  ).toBe(
    'phase preparing · spend 12.50 · next wave: 2026-12-01 06:40 UTC (4 contacts due for a retry) · goal: 2 contacts reached it',
  );
});

const zero = {
  'retry-waiting': 0,
  answered: 0,
  exhausted: 0,
  suppressed: 0,
};

const files = {
  contactsCsv: '/results/outreach-spring-1/contacts.csv',
  contactsJsonl: '/results/outreach-spring-1/contacts.jsonl',
  reportHtml: '/results/outreach-spring-1/report.html',
  reportJson: '/results/outreach-spring-1/report.json',
};

test('results: how it ended, contacts by final state, waves, spend and where the per-contact files are', () => {
  const result: OutreachResult = { outcome: 'completed', contacts, waves: 3, spendCents: 4000, files };
  const text = describeOutreachResult(result);
  expect(text.split('\n')[0]).toBe('Outreach campaign completed: no contact has a call left');
  for (const line of [
    /│ retry-waiting +│ 4 +│/,
    /│ answered +│ 5 +│/,
    /│ waves +│ 3 +│/,
    /│ spend +│ 40\.00 \(Bolna credits\) +│/,
    /│ contacts \(CSV\) +│ \/results\/outreach-spring-1\/contacts\.csv +│/,
    /│ contacts \(JSON Lines\) +│ \/results\/outreach-spring-1\/contacts\.jsonl +│/,
    /│ report +│ \/results\/outreach-spring-1\/report\.html +│/,
    /│ report \(JSON\) +│ \/results\/outreach-spring-1\/report\.json +│/,
  ]) {
    expect(text).toMatch(line);
  }
  expect(describeOutreachResult({ ...result, outcome: 'stopped', stopReason: 'wrong list' })).toMatch(
    /^Outreach campaign stopped \(wrong list\)\n/,
  );
  expect(
    describeOutreachResult({
      ...result,
      outcome: 'goal',
      stopReason: 'the goal is reached: 50 contacts with interested = true',
      goalReached: 50,
      warnings: ['wallet ran out'],
    }),
  ).toMatch(
    /^Outreach campaign ended: the goal is reached: 50 contacts[^]*│ goal reached +│ 50 +│[^]*\nWarning: wallet ran out$/,
  );
  expect(describeOutreachResult({ ...result, outcome: 'deadline' })).toMatch(
    /^Outreach campaign ended at its deadline: contacts still waiting expired\n/,
  );
});

test('describe: the workflow, contacts, waves and next wave while it runs; the outcome and files once ended', () => {
  const base = {
    workflowId: 'outreach-spring',
    workflowType: 'outreachCampaign' as const,
    runId: 'run-1',
    status: 'RUNNING' as const,
    taskQueue: 'bolna-batches',
    startTime: new Date('2026-12-01T04:00:00Z'),
    historyLength: 40,
  };
  const running = outreachDescription({ ...base, progress: between });
  for (const line of [
    /│ kind +│ outreach \(waves of batches\) +│/,
    /│ phase +│ waiting +│/,
    /│ rows +│ 12 +│/,
    /│ contacts +│ pending 0 · in-wave 0 · retry-waiting 4 · answered 5 · exhausted 1 · suppressed 2 · expired 0 │/,
    /│ waves +│ 1 +│/,
    /│ next wave +│ 2026-12-01 06:40 UTC \(4 contacts due for a retry\) +│/,
    /│ 1 +│ batch-one │ 10 +│ 2026-12-01 04:30 UTC │/,
  ]) {
    expect(running).toMatch(line);
  }
  expect(running).not.toMatch(/^│ (outcome|paused|why|stop) /m);
  const ended = outreachDescription({
    ...base,
    status: 'COMPLETED',
    closeTime: new Date('2026-12-02T04:00:00Z'),
    ending: {
      how: 'returned',
      outcome: 'budget',
      result: {
        outcome: 'budget',
        stopReason: 'the budget is spent: 5010 of 5000',
        contacts,
        waves: 2,
        spendCents: 5010,
        files,
      },
    },
  });
  for (const line of [
    /│ status +│ completed +│/,
    /│ outcome +│ budget +│/,
    /│ why +│ the budget is spent: 5010 of 5000 +│/,
    /│ waves +│ 2 +│/,
    /│ spend +│ 50\.10 \(Bolna credits\) +│/,
    /│ contacts \(CSV\) +│ \/results\/outreach-spring-1\/contacts\.csv +│/,
    /│ report +│ \/results\/outreach-spring-1\/report\.html +│/,
    /│ ended +│ 2026-12-02 04:00 UTC +│/,
  ]) {
    expect(ended).toMatch(line);
  }
  expect(
    outreachDescription({
      ...base,
      status: 'FAILED',
      ending: { how: 'failed', outcome: 'failed', reason: 'boom' },
    }),
  ).toMatch(/│ outcome +│ failed \(failed\) +│[^]*│ why +│ boom +│/);
});
