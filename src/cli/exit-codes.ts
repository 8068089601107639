import { WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { NotAnOutreachCampaignError } from '../campaigns';
import type { CampaignEnding, CampaignKind, OutreachEnding } from '../campaigns';
import { CsvValidationError } from '../csv';
import { InvalidCampaignInputError } from '../inputs/campaign-input';
import { ConfigError } from '../platform/config-error';
import { MissingSearchAttributesError } from '../temporal/search-attributes';
import type { CampaignResult } from '../workflows/definitions';
import type { OutreachResult } from '../workflows/outreach-definitions';

/** Exit codes are stable so scripts can branch on them. */
export const exitCodes = {
  ok: 0,
  /** Something unexpected (Temporal unreachable, a bug). */
  error: 1,
  /** Bad arguments, configuration or CSV (or `pause`/`resume` of a batch campaign): nothing was started or sent. */
  invalidInput: 2,
  notFound: 3,
  /** A campaign with that name already ran or is running. */
  alreadyExists: 4,
  /**
   * The campaign ended stopped (by `stop` or cancellation). An outreach campaign that ended at its deadline, budget
   * or goal ended as it was asked to: 0.
   */
  stopped: 5,
  /** The campaign's workflow failed, was terminated or timed out. */
  failed: 6,
  /** The batch was still running at the campaign's running deadline, so it was stopped (results collected). */
  timedOut: 7,
} as const;

/** Ends the command with `code` and `message` (on stderr) instead of its usual output. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function exitCodeOf(result: CampaignResult): number {
  const codes: Record<CampaignResult['outcome'], number> = {
    completed: exitCodes.ok,
    stopped: exitCodes.stopped,
    'timed-out': exitCodes.timedOut,
  };
  return codes[result.outcome];
}

/** Only a stop is not how an outreach campaign was meant to end: its deadline, budget or goal are. */
export function outreachExitCode(result: OutreachResult): number {
  return result.outcome === 'stopped' ? exitCodes.stopped : exitCodes.ok;
}

/** The result to print, or, for a campaign that ended without one, the exit that says how it ended. */
export function resultOrExit<Ending extends CampaignEnding | OutreachEnding>(
  ending: Ending,
  workflowId: string,
  kind: CampaignKind,
): Extract<Ending, { how: 'returned' }>['result'] {
  const campaign = `${kind === 'outreach' ? 'Outreach' : 'Batch'} campaign ${workflowId}`;
  switch (ending.how) {
    case 'returned':
      return ending.result;
    case 'cancelled':
      // Cancelling does the same cleanup as `stop` (batch stopped, results collected): report it the same way.
      throw new CliExit(
        exitCodes.stopped,
        `${campaign} was cancelled; ${kind === 'outreach' ? 'its running wave' : 'its batch'} was stopped`,
      );
    case 'failed':
      throw new CliExit(exitCodes.failed, `${campaign} did not complete: ${ending.reason}`);
  }
}

/** Maps what went wrong to an exit code and a message a person can act on. */
export function failureExit(error: unknown): CliExit {
  if (error instanceof CliExit) return error;
  // RangeError: a bad --start-at or --country, caught before anything started.
  if (
    error instanceof CsvValidationError ||
    error instanceof ConfigError ||
    error instanceof InvalidCampaignInputError ||
    error instanceof MissingSearchAttributesError ||
    error instanceof NotAnOutreachCampaignError ||
    error instanceof RangeError
  ) {
    return new CliExit(exitCodes.invalidInput, error.message);
  }
  if (error instanceof WorkflowNotFoundError) return new CliExit(exitCodes.notFound, error.message);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EACCES') {
    const path = (error as NodeJS.ErrnoException).path ?? '';
    return new CliExit(
      exitCodes.invalidInput,
      `Cannot read '${path}': ${code === 'ENOENT' ? 'no such file' : 'permission denied'}`,
    );
  }
  if (error instanceof WorkflowExecutionAlreadyStartedError) {
    return new CliExit(
      exitCodes.alreadyExists,
      `Campaign ${error.workflowId} already exists; it is refused rather than run twice. Pick another --name.`,
    );
  }
  return new CliExit(exitCodes.error, error instanceof Error ? error.message : String(error));
}
