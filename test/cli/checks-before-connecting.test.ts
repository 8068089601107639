import { resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { exitCodes, runCli } from '../../src/cli';
import { testAgentId as agentId } from '../support/constants';

/**
 * Every command checks its own input before it reaches Temporal: a bad option exits 2 with a message naming the
 * option and the form it expects, and the connect function it was given is never called. The same commands with
 * good input get as far as connecting (here refused, exit 1). No server: the connection is a recording stand-in.
 */

const csv = resolve(__dirname, '..', 'fixtures', 'csv', 'good-mixed-formats.csv');
const missing = resolve(__dirname, '..', 'fixtures', 'csv', 'no-such-list.csv');

let said: string;
let connects: number;

/** Records each call and refuses, as Temporal out of reach would. */
const recordingConnect = (): Promise<Client> => {
  connects += 1;
  return Promise.reject(new Error('Cannot reach Temporal at 127.0.0.1:1 (set TEMPORAL_ADDRESS?)'));
};
const cli = (...args: string[]) => runCli(['node', 'bolna-campaign', ...args], recordingConnect);

const savedKey = process.env.BOLNA_API_KEY;
beforeAll(() => (process.env.BOLNA_API_KEY = 'test-key'));
afterAll(() => {
  if (savedKey === undefined) delete process.env.BOLNA_API_KEY;
  else process.env.BOLNA_API_KEY = savedKey;
});

beforeEach(() => {
  [said, connects] = ['', 0];
  // What the user reads: Commander's usage errors (stderr) and the CLI's own messages (console.error).
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    said += String(chunk);
    return true;
  });
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  jest.spyOn(console, 'error').mockImplementation((line: string) => void (said += `${line}\n`));
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

const start = ['start', '--agent', agentId, '--csv', csv];
const schedule = ['schedule', '--agent', agentId, '--csv', csv, '--cron', '0 10 * * MON-FRI'];
const uuidForm = /must be a UUID, e\.g\. [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const campaignForm = /^<campaign> must be a campaign name or workflow ID, e\.g\. december-reminders/m;

/** [command line, the option the message names, the form it says is expected]. */
const bad: [string[], string, RegExp][] = [
  [['start', '--agent', 'not-a-uuid', '--csv', csv], '--agent', uuidForm],
  [
    ['start', '--agent', agentId, '--csv', missing],
    '--csv',
    /no such file; it must be a CSV file readable here/,
  ],
  [['start', '--agent', agentId, '--csv', __dirname], '--csv', /is not a file; it must be a CSV file/],
  [
    [...start, '--start-at', '2026-12-01T10:00:00'],
    '--start-at',
    /must be ISO 8601 with a zone, e\.g\. 2026-/,
  ],
  [[...start, '--from', '+14155550100', '12345'], "--from '12345'", /must be E\.164, e\.g\. \+14155550100/],
  [[...start, '--country', 'XX'], '--country', /must be an ISO 3166 country code such as IN or US/],
  [[...start, '--webhook-url', 'ftp://hooks.example'], '--webhook-url', /must be an http\(s\) URL/],
  [[...start, '--poll-interval', '5000'], '--poll-interval', /must be 1 to 3600 seconds/],
  [[...start, '--poll-interval', '0'], "'--poll-interval <seconds>'", /must be a positive whole number/],
  [[...start, '--retry-config', '{enabled'], "'--retry-config <json>'", /must be a JSON object/],
  [[...start, '--name', '!!!'], "--name '!!!'", /must hold a letter or digit .* e\.g\. december-reminders/],
  [
    [...start, '--retry', 'busy', '--retry-after', 'soon'],
    '--retry-after',
    /write it like '2h' or '90 minutes'/,
  ],
  [[...start, '--retry', 'answered'], "--retry 'answered'", /must be one of no-answer, busy, failed/],
  [[...start, '--max-attempts', '3'], '--max-attempts', /needs --retry <statuses>/],
  [
    [...start, '--window', '9am-5pm'],
    "'--window <HH:MM-HH:MM>'",
    /must be HH:MM-HH:MM in 24 h, e\.g\. 09:00-19:00/,
  ],
  [
    [...start, '--window', '09:00-17:00', '--days', 'mon,funday'],
    "--days 'funday'",
    /must be one of mon, tue/,
  ],
  [
    [...start, '--window', '09:00-17:00', '--holidays', '2026-02-30'],
    "--holidays '2026-02-30'",
    /YYYY-MM-DD/,
  ],
  [[...start, '--budget', '100', '--deadline', 'tomorrow'], '--deadline', /must be ISO 8601 with a zone/],
  [[...start, '--budget', 'lots'], "'--budget <cents>'", /must be a positive number/],
  [[...start, '--goal', 'interested'], "'--goal <field=value:count>'", /must be field=value:count, e\.g\./],
  [[...start, '--suppress', missing], '--suppress', /no such file; it must be a CSV file readable here/],
  [['schedule', '--agent', 'agent-7', '--csv', csv, '--cron', '0 10 * * *'], '--agent', uuidForm],
  [[...schedule, '--timezone', 'Mars/Olympus'], "--timezone 'Mars/Olympus'", /must be an IANA time zone/],
  [[...schedule.slice(0, 5), '--cron', '61 10 * * *'], "--cron '61 10 * * *'", /: minute '61' must be 0-59/],
  [[...schedule.slice(0, 5), '--cron', 'every day'], "--cron 'every day'", /has 2 field\(s\); a cron has 5/],
  [
    [...schedule.slice(0, 5), '--cron', 'TZ=Asia/Kolkata 0 10 * * *', '--timezone', 'UTC'],
    '--cron',
    /TZ=Asia\/Kolkata conflicts with the schedule's time zone UTC/,
  ],
  [[...schedule, '--catchup-window', 'soon'], "'--catchup-window <duration>'", /like '6 hours'/],
  [[...schedule.slice(0, 4), missing, ...schedule.slice(5)], '--csv', /no such file/],
  [[...schedule, '--window', '09:00-09:05'], '--window (end)', /shorter than Bolna's rounding/],
  [['status', ''], '<campaign>', campaignForm],
  [['watch', ' '], '<campaign>', campaignForm],
  [['stop', '', '--reason', 'wrong list'], '<campaign>', campaignForm],
  [['pause', ''], '<campaign>', campaignForm],
  [['resume', ''], '<campaign>', campaignForm],
  [['results', ''], '<campaign>', campaignForm],
  [['describe', ''], '<campaign>', campaignForm],
  [['report', '', '--wait'], '<campaign>', campaignForm],
  [['report', 'dec', '--wiat'], "'--wiat'", /unknown option/],
  [['list', '--agent', 'agent-7'], '--agent', uuidForm],
  [
    ['list', '--since', 'someday'],
    "'--since <when>'",
    /must be a date \(2026-12-01\), a date-time with its offset/,
  ],
  [['list', '--limit', '0'], "'--limit <n>'", /must be a positive whole number/],
  [['list', '--phase', 'done'], "'--phase <phase>'", /Allowed choices are validating, creating/],
  [['batches', '--agent', 'agent-7'], '--agent', uuidForm],
];

test.each(bad)('%j exits 2 naming %s and its form, never connecting', async (args, option, form) => {
  expect(await cli(...args)).toBe(exitCodes.invalidInput);
  expect(said).toContain(option);
  expect(said).toMatch(form);
  expect(said).not.toMatch(/Cannot reach Temporal/);
  expect(connects).toBe(0);
});

/** The same commands with good input: each is checked, then connects, once. */
const good: string[][] = [
  start,
  [...start, '--retry', 'no-answer,busy', '--window', '09:00-19:00', '--days', 'mon,tue', '--suppress', csv],
  [...start, '--start-at', new Date(Date.now() + 86_400_000).toISOString(), '--from', '+14155550100'],
  [...schedule, '--timezone', 'Asia/Kolkata', '--name', 'weekday-reminders'],
  [...schedule, '--retry', 'no-answer', '--name', 'daily'],
  [...schedule.slice(0, 5), '--cron', '@every 12h', '0 9 * * SAT', '--name', 'twice'],
  ['status', 'dec'],
  ['watch', 'dec'],
  ['stop', 'dec', '--reason', 'wrong list'],
  ['pause', 'dec'],
  ['resume', 'dec'],
  ['results', 'dec'],
  ['describe', 'campaign-dec'],
  ['report', 'dec', '--wait'],
  ['list', '--agent', agentId, '--since', '7d', '--phase', 'running'],
  ['batches', '--agent', agentId],
];

test.each(good.map((args) => [args]))('%j is checked, then connects once', async (args) => {
  expect(await cli(...args)).toBe(exitCodes.error);
  expect(said).toBe('Cannot reach Temporal at 127.0.0.1:1 (set TEMPORAL_ADDRESS?)\n');
  expect(connects).toBe(1);
});

test('every command has a bad-input case and a good one', async () => {
  // A command added later without cases here would go unchecked: the help lists them all.
  let help = '';
  (process.stdout.write as unknown as jest.Mock).mockImplementation((chunk: string) => {
    help += chunk;
    return true;
  });
  expect(await cli('--help')).toBe(exitCodes.ok);
  const commands = [...help.matchAll(/^ {2}([a-z]+) /gm)]
    .map((match) => match[1])
    .filter((c) => c !== 'help');
  expect(commands.length).toBeGreaterThanOrEqual(12);
  expect(new Set(bad.map(([args]) => args[0]))).toEqual(new Set(commands));
  expect(new Set(good.map((args) => args[0]))).toEqual(new Set(commands));
});
