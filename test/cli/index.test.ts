import { resolve } from 'node:path';
import { exitCodes, runCli } from '../../src/cli';
import { testAgentId as agentId } from '../support/constants';

/** A contact list that exists: `start` checks its --csv is readable before it connects. */
const contactsCsv = resolve(__dirname, '..', 'fixtures', 'csv', 'good-mixed-formats.csv');

/**
 * What the CLI decides before it reaches Temporal: usage problems exit 2 with Commander's message and the help,
 * and never connect; what goes wrong after parsing is mapped to its exit code and printed once on stderr. The
 * commands against a real server are tested in test/workflows/ and test/e2e/.
 */

let stdout: string;
let stderr: string;
let errors: string[];
let connects: number;

const unreachable = () => {
  connects += 1;
  return Promise.reject(new Error('Cannot reach Temporal at 127.0.0.1:7233 (set TEMPORAL_ADDRESS?)'));
};
const cli = (...args: string[]) => runCli(['node', 'campaign', ...args], unreachable);

beforeEach(() => {
  [stdout, stderr, errors, connects] = ['', '', [], 0];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
});
afterEach(() => jest.restoreAllMocks());

test('--help lists every command and exits 0', async () => {
  expect(await cli('--help')).toBe(exitCodes.ok);
  for (const command of [
    'start',
    'schedule',
    'status',
    'watch',
    'stop',
    'pause',
    'resume',
    'results',
    'list',
    'describe',
    'batches',
  ]) {
    expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  }
  expect(connects).toBe(0);
});

test.each([
  ['an unknown command', ['begin'], /unknown command 'begin'/],
  ['a missing required option', ['start', '--csv', 'contacts.csv'], /required option '--agent <uuid>'/],
  ['a missing argument', ['status'], /missing required argument 'campaign'/],
  ['a bad option value', ['start', '--agent', agentId, '--csv', 'c.csv', '--poll-interval', '0'], /positive/],
  ['an option of another command', ['status', 'dec', '--cron', '0 10 * * *'], /unknown option '--cron'/],
])('%s exits 2 with the problem and the help, without connecting', async (_, args, problem) => {
  expect(await cli(...args)).toBe(exitCodes.invalidInput);
  expect(stderr).toMatch(problem);
  expect(stderr).toMatch(/Usage: bolna-campaign/);
  expect(connects).toBe(0);
});

test('a wrong configuration variable exits 2 naming it, before connecting', async () => {
  process.env.BOLNA_CSV_MAX_BYTES = 'lots';
  try {
    expect(await cli('start', '--agent', agentId, '--csv', 'contacts.csv')).toBe(exitCodes.invalidInput);
  } finally {
    delete process.env.BOLNA_CSV_MAX_BYTES;
  }
  expect(errors).toEqual([expect.stringMatching(/BOLNA_CSV_MAX_BYTES/)]);
  expect(connects).toBe(0);
});

test('batches without BOLNA_API_KEY exits 2 naming it, before connecting', async () => {
  const saved = process.env.BOLNA_API_KEY;
  delete process.env.BOLNA_API_KEY;
  try {
    expect(await cli('batches', '--agent', agentId)).toBe(exitCodes.invalidInput);
  } finally {
    if (saved !== undefined) process.env.BOLNA_API_KEY = saved;
  }
  expect(errors).toEqual([expect.stringMatching(/^BOLNA_API_KEY is not set/)]);
  expect(connects).toBe(0);
});

test('Temporal out of reach exits 1 with one line saying where it looked', async () => {
  expect(await cli('stop', 'dec', '--reason', 'wrong list')).toBe(exitCodes.error);
  expect(errors).toEqual(['Cannot reach Temporal at 127.0.0.1:7233 (set TEMPORAL_ADDRESS?)']);
  expect(connects).toBe(1);
});

describe('outreach campaigns', () => {
  const start = (...extra: string[]) => cli('start', '--agent', agentId, '--csv', contactsCsv, ...extra);
  const schedule = (...extra: string[]) =>
    cli('schedule', '--agent', agentId, '--cron', '0 10 * * *', ...extra);

  test("start's help says which options make an outreachCampaign; schedule's explains {date} and the catch-up window", async () => {
    expect(await cli('start', '--help')).toBe(exitCodes.ok);
    expect(stdout).toMatch(/--retry <statuses>/);
    expect(stdout).toMatch(/--goal <field=value:count>/);
    expect(stdout).toMatch(/--max-calls-per-day <n>\s+calls one number gets per day at most/);
    expect(stdout).toMatch(/--max-calls-per-day starts an outreachCampaign\s+\(waves of batches/);
    stdout = '';
    expect(await cli('schedule', '--help')).toBe(exitCodes.ok);
    expect(stdout).toMatch(/--catchup-window <duration>/);
    expect(stdout).toMatch(/default 6 hours/);
    expect(stdout).toMatch(/leads\/\{date\}\.csv/);
    expect(stdout).not.toMatch(/--deadline/);
    expect(connects).toBe(0);
  });

  test.each([
    ['a qualifier alone', ['--days', 'mon'], /^--days needs --window <HH:MM-HH:MM>$/],
    [
      'a window across midnight',
      ['--window', '19:00-09:00'],
      /^--window \(end\) must be after start \(19:00\) on the same day/,
    ],
    [
      'a window shorter than the rounding',
      ['--window', '09:00-09:05'],
      /^--window \(end\): the window 09:00-09:05 is shorter than Bolna's rounding/,
    ],
    [
      'a retry delay shorter than the rounding',
      ['--retry', 'busy', '--retry-after', '5m'],
      /^--retry-after: '5m' is shorter than Bolna's rounding of batch starts \(10 minutes\)/,
    ],
    [
      'a status that cannot be retried',
      ['--retry', 'completed'],
      /^--retry 'completed' must be one of no-answer/,
    ],
    ['a single attempt', ['--retry', 'busy', '--max-attempts', '1'], /^--max-attempts must be at least 2/],
    [
      'a deadline before the first possible start',
      ['--budget', '100', '--deadline', new Date(Date.now() + 60_000).toISOString()],
      /^--deadline: .* is not after the first possible start/,
    ],
    [
      'an unknown window zone',
      ['--window', '09:00-17:00', '--time-zone', 'Mars/Olympus'],
      /^--time-zone must be 'recipient' or an IANA time zone/,
    ],
    [
      '{date} outside a schedule',
      ['--csv', 'leads/{date}.csv'],
      /^--csv: 'leads\/\{date\}\.csv' has \{date\}/,
    ],
  ])('start refuses %s with exit 2, before connecting', async (_, extra, problem) => {
    expect(await start(...extra)).toBe(exitCodes.invalidInput);
    expect(errors).toEqual([expect.stringMatching(problem)]);
    expect(connects).toBe(0);
  });

  test.each([
    [
      '{date} in a batch schedule',
      ['--csv', 'leads/{date}.csv', '--name', 'daily'],
      /^--csv: .* only the runs of a scheduled outreach campaign fill in/,
    ],
    [
      '{date} in an outreach schedule without a name',
      ['--csv', 'leads/{date}.csv', '--retry', 'no-answer'],
      /^--csv: .* names a different file every run: give the schedule a name/,
    ],
    [
      'a window shorter than the rounding',
      ['--csv', 'leads.csv', '--window', '09:00-09:05'],
      /^--window \(end\): the window 09:00-09:05 is shorter/,
    ],
  ])('schedule refuses %s with exit 2, before connecting', async (_, extra, problem) => {
    expect(await schedule(...extra)).toBe(exitCodes.invalidInput);
    expect(errors).toEqual([expect.stringMatching(problem)]);
    expect(connects).toBe(0);
  });

  test.each([
    [
      ['--catchup-window', '5s'],
      /--catchup-window .* 5 seconds is shorter than Temporal's shortest catch-up window/,
    ],
    [['--catchup-window', 'soon'], /--catchup-window .* 'soon' is not a duration/],
    [['--deadline', '2026-12-10T18:00:00Z'], /unknown option '--deadline'/],
  ])('schedule %j is a usage problem (exit 2), before connecting', async (extra, problem) => {
    expect(await schedule('--csv', 'leads.csv', ...extra)).toBe(exitCodes.invalidInput);
    expect(stderr).toMatch(problem);
    expect(connects).toBe(0);
  });

  test('the limits follow the configured rules: a 1-minute window passes with a 10-second rounding', async () => {
    process.env.BOLNA_SCHEDULE_ROUNDING_SECONDS = '10';
    try {
      // It gets as far as connecting: the input was accepted.
      expect(await start('--window', '09:00-09:01')).toBe(exitCodes.error);
    } finally {
      delete process.env.BOLNA_SCHEDULE_ROUNDING_SECONDS;
    }
    expect(connects).toBe(1);
    expect(await start('--window', '09:00-09:01')).toBe(exitCodes.invalidInput);
    expect(errors.pop()).toMatch(/shorter than Bolna's rounding of batch starts \(10 minutes\)/);
  });
});
