import { WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { CliExit, exitCodeOf, exitCodes, failureExit, resultOrExit } from '../../src/cli/exit-codes';
import { CsvValidationError } from '../../src/csv';
import { InvalidCampaignInputError } from '../../src/inputs/campaign-input';
import { ConfigError } from '../../src/platform/config-error';

/** Every way a command can end maps to one stable exit code and a message a person can act on. */

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

const fileError = (code: string, path: string) =>
  Object.assign(new Error(`${code}: ${path}`), { code, path });

test.each([
  ['a CSV problem', new CsvValidationError([{ line: 1, message: 'there is no contact_number column' }])],
  ['a wrong variable', new ConfigError('TEMPORAL_TASK_QUEUE: must not be empty')],
  [
    'a wrong input field',
    new InvalidCampaignInputError('Invalid campaign input:\n  agentId: must be a UUID'),
  ],
  ['a bad --start-at or --country', new RangeError('Invalid time value')],
])('%s is invalid input (2), with its own message', (_, error) => {
  expect(failureExit(error)).toMatchObject({ code: exitCodes.invalidInput, message: error.message });
});

test('a file that cannot be read is invalid input, naming the path and why', () => {
  expect(failureExit(fileError('ENOENT', '/lists/missing.csv'))).toMatchObject({
    code: exitCodes.invalidInput,
    message: "Cannot read '/lists/missing.csv': no such file",
  });
  expect(failureExit(fileError('EACCES', '/lists/locked.csv'))).toMatchObject({
    code: exitCodes.invalidInput,
    message: "Cannot read '/lists/locked.csv': permission denied",
  });
});

test('an unknown campaign is not found (3); a second start of one name already exists (4)', () => {
  const missing = new WorkflowNotFoundError("No campaign 'x' (tried x, campaign-x)", 'x', undefined);
  expect(failureExit(missing)).toMatchObject({ code: exitCodes.notFound, message: missing.message });
  const twice = new WorkflowExecutionAlreadyStartedError('already started', 'campaign-dec', 'batchCampaign');
  expect(failureExit(twice)).toMatchObject({
    code: exitCodes.alreadyExists,
    message:
      'Campaign campaign-dec already exists; it is refused rather than run twice. Pick another --name.',
  });
});

test('anything else is an unexpected error (1); an exit already decided passes through', () => {
  expect(failureExit(new Error('Cannot reach Temporal at localhost:7233'))).toMatchObject({
    code: exitCodes.error,
    message: 'Cannot reach Temporal at localhost:7233',
  });
  expect(failureExit('a string thrown')).toMatchObject({ code: exitCodes.error, message: 'a string thrown' });
  const decided = new CliExit(exitCodes.stopped, 'stopped');
  expect(failureExit(decided)).toBe(decided);
});

test("a campaign's result exits 0 completed, 5 stopped, 7 timed out", () => {
  expect(exitCodeOf({ outcome: 'completed' })).toBe(exitCodes.ok);
  expect(exitCodeOf({ outcome: 'stopped', stopReason: 'wrong list' })).toBe(exitCodes.stopped);
  expect(exitCodeOf({ outcome: 'timed-out' })).toBe(exitCodes.timedOut);
});

test('a campaign that ended without a result exits 5 when cancelled and 6 when it failed, naming its kind', () => {
  const result = { outcome: 'stopped' as const, stopReason: 'not today' };
  expect(resultOrExit({ how: 'returned', outcome: 'stopped', result }, 'campaign-dec', 'batch')).toBe(result);
  expect(
    thrownBy(() => resultOrExit({ how: 'cancelled', outcome: 'stopped' }, 'campaign-dec', 'batch')),
  ).toMatchObject({
    code: exitCodes.stopped,
    message: 'Batch campaign campaign-dec was cancelled; its batch was stopped',
  });
  expect(
    thrownBy(() => resultOrExit({ how: 'cancelled', outcome: 'stopped' }, 'outreach-dec', 'outreach')),
  ).toMatchObject({
    code: exitCodes.stopped,
    message: 'Outreach campaign outreach-dec was cancelled; its running wave was stopped',
  });
  const failed = { how: 'failed', outcome: 'failed', reason: 'Workflow execution terminated' } as const;
  expect(thrownBy(() => resultOrExit(failed, 'campaign-dec', 'batch'))).toMatchObject({
    code: exitCodes.failed,
    message: 'Batch campaign campaign-dec did not complete: Workflow execution terminated',
  });
  expect(thrownBy(() => resultOrExit(failed, 'outreach-dec', 'outreach'))).toMatchObject({
    code: exitCodes.failed,
    message: 'Outreach campaign outreach-dec did not complete: Workflow execution terminated',
  });
});

test('the codes are the documented ones', () => {
  expect(exitCodes).toEqual({
    ok: 0,
    error: 1,
    invalidInput: 2,
    notFound: 3,
    alreadyExists: 4,
    stopped: 5,
    failed: 6,
    timedOut: 7,
  });
});
