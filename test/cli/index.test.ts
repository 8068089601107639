import { exitCodes, runCli } from '../../src/cli';
import { testAgentId as agentId } from '../support/constants';

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
  expect(stderr).toMatch(/Usage: campaign/);
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
