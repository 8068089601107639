import { bolnaScheduleRules } from '../../src/bolna/schedule-time';
import { InvalidCampaignInputError } from '../../src/inputs/campaign-input';
import { checkOutreachInput } from '../../src/inputs/outreach-input';
import { fastRules, testAgentId as agentId } from '../support/constants';

/**
 * An outreach campaign's input is refused before anything starts, every wrong field named with what to do; the
 * limits that come from Bolna's rules follow the rules in force.
 */

const now = Date.parse('2026-12-01T10:00:00Z');
const rules = bolnaScheduleRules;
const base = { agentId, csv: 'leads.csv' };

function problemsOf(input: unknown, ruleSet = rules, nowMs = now): string {
  try {
    checkOutreachInput(input, nowMs, ruleSet);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidCampaignInputError);
    return (error as Error).message;
  }
  throw new Error('the input was accepted');
}

test('a full, sensible input is accepted', () => {
  expect(() =>
    checkOutreachInput(
      {
        ...base,
        startAt: '2026-12-01T16:00:00+05:30',
        retry: { on: ['no-answer', 'busy', 'voicemail'], maxAttempts: 3, after: '2h' },
        window: {
          start: '09:00',
          end: '19:00',
          days: ['mon', 'tue', 'wed', 'thu', 'fri'],
          timeZone: 'recipient',
          holidays: ['2026-12-25'],
        },
        deadline: '2026-12-10T18:00:00+05:30',
        budget: { maxCost: 5_000, checkEveryMinutes: 5 },
        goal: { field: 'interested', equals: true, count: 50 },
        suppress: ['dnc.csv', 'https://lists.example.com/dnc.csv'],
        maxCallsPerNumberPerDay: 2,
        scheduleTimeZone: 'Asia/Kolkata',
      },
      now,
      rules,
    ),
  ).not.toThrow();
  expect(() =>
    checkOutreachInput(
      { ...base, window: { start: '09:00', end: '17:30', timeZone: 'America/New_York' } },
      now,
      rules,
    ),
  ).not.toThrow();
  expect(() =>
    checkOutreachInput(
      { ...base, retry: { on: ['failed'], maxAttempts: 10, after: '90 minutes' } },
      now,
      rules,
    ),
  ).not.toThrow();
});

test("the batchCampaign fields are checked exactly as a batch campaign's", () => {
  const message = problemsOf({ agentId: 'agent-7', csv: '', startAt: '2026-12-01T09:00:00Z' });
  expect(message).toMatch(/^Invalid outreach campaign input:/);
  expect(message).toMatch(/agentId: must be a UUID/);
  expect(message).toMatch(/csv: must be a path or an http\(s\) URL/);
  expect(message).toMatch(/startAt: 2026-12-01T09:00:00Z is in the past/);
});

test.each([
  ['an unknown option', { colour: 'blue' }, /input: unknown option\(s\) 'colour'/],
  [
    'an unknown option inside retry',
    { retry: { on: ['busy'], maxAttempts: 2, after: '1h', jitter: true } },
    /retry: unknown option\(s\) 'jitter'/,
  ],
  [
    'a status that cannot be retried',
    { retry: { on: ['completed'], maxAttempts: 2, after: '1h' } },
    /retry\.on\.0: must be one of no-answer, busy, failed, error, voicemail/,
  ],
  [
    'no status to retry',
    { retry: { on: [], maxAttempts: 2, after: '1h' } },
    /retry\.on: must list at least one call status/,
  ],
  [
    'one attempt',
    { retry: { on: ['busy'], maxAttempts: 1, after: '1h' } },
    /retry\.maxAttempts: must be at least 2/,
  ],
  [
    'eleven attempts',
    { retry: { on: ['busy'], maxAttempts: 11, after: '1h' } },
    /retry\.maxAttempts: must be at most 10/,
  ],
  [
    'a fraction of an attempt',
    { retry: { on: ['busy'], maxAttempts: 2.5, after: '1h' } },
    /retry\.maxAttempts: must be a whole number/,
  ],
  [
    'a retry delay that is no duration',
    { retry: { on: ['busy'], maxAttempts: 2, after: 'later' } },
    /retry\.after: 'later' is not a duration: write it like '2h' or '90 minutes'/,
  ],
  [
    'an empty retry delay',
    { retry: { on: ['busy'], maxAttempts: 2, after: '' } },
    /retry\.after: '' is not a duration/,
  ],
  [
    'a retry delay shorter than the rounding',
    { retry: { on: ['busy'], maxAttempts: 2, after: '5m' } },
    /retry\.after: '5m' is shorter than Bolna's rounding of batch starts \(10 minutes\)/,
  ],
  [
    'a time of day that is not HH:MM',
    { window: { start: '9am', end: '19:00' } },
    /window\.start: must be a time of day HH:MM/,
  ],
  [
    'an hour that does not exist',
    { window: { start: '09:00', end: '24:00' } },
    /window\.end: must be a time of day HH:MM/,
  ],
  [
    'a window that ends before it starts',
    { window: { start: '19:00', end: '09:00' } },
    /window\.end: must be after start \(19:00\).*across midnight is not supported/,
  ],
  ['an empty window', { window: { start: '09:00', end: '09:00' } }, /window\.end: must be after start/],
  [
    'a window shorter than the rounding',
    { window: { start: '09:00', end: '09:05' } },
    /window\.end: the window 09:00-09:05 is shorter than Bolna's rounding of batch starts \(10 minutes\)/,
  ],
  [
    'a day that is not one',
    { window: { start: '09:00', end: '17:00', days: ['monday'] } },
    /window\.days\.0: must be one of mon, tue, wed, thu, fri, sat, sun/,
  ],
  [
    'no days',
    { window: { start: '09:00', end: '17:00', days: [] } },
    /window\.days: must list at least one day/,
  ],
  [
    'an unknown time zone',
    { window: { start: '09:00', end: '17:00', timeZone: 'Mars/Olympus' } },
    /window\.timeZone: must be 'recipient' or an IANA time zone/,
  ],
  [
    'a holiday that is not a date',
    { window: { start: '09:00', end: '17:00', holidays: ['25/12/2026'] } },
    /window\.holidays\.0: must be a real date YYYY-MM-DD/,
  ],
  [
    'a holiday that does not exist',
    { window: { start: '09:00', end: '17:00', holidays: ['2026-02-30'] } },
    /window\.holidays\.0: must be a real date/,
  ],
  ['a deadline without a zone', { deadline: '2026-12-10T18:00' }, /deadline: must be ISO 8601 with a zone/],
  [
    'a deadline that does not exist',
    { deadline: '2026-02-30T18:00:00Z' },
    /deadline: 2026-02-30T18:00:00Z: February 2026 has no day 30/,
  ],
  [
    'a deadline in the past',
    { deadline: '2026-12-01T09:00:00Z' },
    /deadline: 2026-12-01T09:00:00Z is not after the first possible start, 2026-12-01T10:10:00.000Z/,
  ],
  [
    'a deadline before the rounded first start',
    { deadline: '2026-12-01T10:05:00Z' },
    /deadline: .* is not after the first possible start, 2026-12-01T10:10:00.000Z \(Bolna's lead of 2 minutes, rounded up to its 10 minutes mark\)/,
  ],
  [
    'a deadline before startAt',
    { startAt: '2026-12-02T10:00:00Z', deadline: '2026-12-02T09:00:00Z' },
    /deadline: .* is not after the first possible start, 2026-12-02T10:00:00.000Z \(Bolna's lead of 2 minutes or startAt/,
  ],
  ['a budget of nothing', { budget: { maxCost: 0 } }, /budget\.maxCost: must be more than 0/],
  [
    'a budget checked too rarely',
    { budget: { maxCost: 100, checkEveryMinutes: 90 } },
    /budget\.checkEveryMinutes: must be at most 60 minutes/,
  ],
  [
    'a budget checked too often',
    { budget: { maxCost: 100, checkEveryMinutes: 0.5 } },
    /budget\.checkEveryMinutes: must be at least 1 minute/,
  ],
  [
    'a goal without a field',
    { goal: { field: ' ', equals: true, count: 5 } },
    /goal\.field: must name a field/,
  ],
  [
    'a goal value that is an object',
    { goal: { field: 'interested', equals: { yes: 1 }, count: 5 } },
    /goal\.equals: must be a string, a number or true\/false/,
  ],
  [
    'a goal of nobody',
    { goal: { field: 'interested', equals: true, count: 0 } },
    /goal\.count: must be at least 1/,
  ],
  [
    'a goal of half a contact',
    { goal: { field: 'interested', equals: true, count: 1.5 } },
    /goal\.count: must be a whole number/,
  ],
  [
    'an empty do-not-call list of lists',
    { suppress: [] },
    /suppress: must list at least one do-not-call CSV/,
  ],
  [
    'a blank do-not-call source',
    { suppress: ['dnc.csv', ' '] },
    /suppress\.1: must be a path or an http\(s\) URL/,
  ],
  [
    'a do-not-call source of another scheme',
    { suppress: ['ftp://lists.example.com/dnc.csv'] },
    /suppress\.0: must be a path or an http\(s\) URL/,
  ],
  ['no calls per day', { maxCallsPerNumberPerDay: 0 }, /maxCallsPerNumberPerDay: must be at least 1/],
  [
    'a fraction of a call per day',
    { maxCallsPerNumberPerDay: 1.5 },
    /maxCallsPerNumberPerDay: must be a whole number/,
  ],
  [
    'a schedule zone of recipient',
    { scheduleTimeZone: 'recipient' },
    /scheduleTimeZone: must be an IANA time zone/,
  ],
])('%s is refused, naming the field', (_, extra, problem) => {
  expect(problemsOf({ ...base, ...extra })).toMatch(problem);
});

test('every problem is listed at once, the deadline too', () => {
  const message = problemsOf({
    ...base,
    retry: { on: ['busy'], maxAttempts: 1, after: '1m' },
    window: { start: '10:00', end: '09:00' },
    deadline: '2026-11-30T10:00:00Z',
  });
  expect(message.split('\n').slice(1)).toEqual([
    expect.stringMatching(/^ {2}retry\.maxAttempts:/),
    expect.stringMatching(/^ {2}retry\.after:/),
    expect.stringMatching(/^ {2}window\.end:/),
    expect.stringMatching(/^ {2}deadline:/),
  ]);
});

test('resume is internal: any value passes the shape check (the workflow refuses it on a new start)', () => {
  expect(() => checkOutreachInput({ ...base, resume: { phase: 'calling' } }, now, rules)).not.toThrow();
});

describe("with the simulator's shrunk rules (5 s lead, 10 s rounding) the limits shrink too", () => {
  test('a 30-second retry delay and a 1-minute window pass', () => {
    expect(() =>
      checkOutreachInput(
        {
          ...base,
          retry: { on: ['busy'], maxAttempts: 2, after: '30s' },
          window: { start: '09:00', end: '09:01' },
        },
        now,
        fastRules,
      ),
    ).not.toThrow();
  });

  test('a retry delay under 10 s is still refused, in the shrunk words', () => {
    expect(problemsOf({ ...base, retry: { on: ['busy'], maxAttempts: 2, after: '5s' } }, fastRules)).toMatch(
      /retry\.after: '5s' is shorter than Bolna's rounding of batch starts \(10 seconds\)/,
    );
  });

  test('a deadline a minute away passes; one before the first 10-second mark after the lead does not', () => {
    expect(() =>
      checkOutreachInput({ ...base, deadline: '2026-12-01T10:01:00Z' }, now, fastRules),
    ).not.toThrow();
    expect(problemsOf({ ...base, deadline: '2026-12-01T10:00:10Z' }, fastRules)).toMatch(
      /deadline: .* is not after the first possible start, 2026-12-01T10:00:10.000Z/,
    );
  });
});
