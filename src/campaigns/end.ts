import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import type { CampaignResult } from '../workflows/definitions';
import type { OutreachResult } from '../workflows/outreach-definitions';
import type { AnyCampaignHandle, CampaignHandle } from './handle';

/**
 * How a campaign ended. `outcome` reads a cancelled campaign as stopped, because cancelling does what `stop` does;
 * `how` tells the two apart when that matters.
 */
export type CampaignEnding =
  /** The workflow returned its result: completed, stopped by `stop`, or timed out (stopped at its deadline). */
  | { how: 'returned'; outcome: CampaignResult['outcome']; result: CampaignResult }
  /**
   * The workflow was cancelled (Web UI, `handle.cancel()`): its batch was stopped and the calls made so far were
   * collected, as after `stop`, but a cancelled workflow returns no result.
   */
  | { how: 'cancelled'; outcome: 'stopped' }
  /** The workflow failed, was terminated or timed out; `reason` says why. */
  | { how: 'failed'; outcome: 'failed'; reason: string };

/** Either kind of campaign's ending, by its result's type. */
type Ending<Result extends { outcome: string }> =
  | { how: 'returned'; outcome: Result['outcome']; result: Result }
  | { how: 'cancelled'; outcome: 'stopped' }
  | { how: 'failed'; outcome: 'failed'; reason: string };

/**
 * How an outreach campaign ended: its result (outcome `completed`, `stopped`, `deadline`, `budget` or `goal`, the
 * contacts by state and the per-contact files), or why it has none. A cancelled outreach campaign finishes as a
 * stopped one (it writes its files and returns), so `cancelled` is seen only when the workflow itself was cut off.
 */
export type OutreachEnding = Ending<OutreachResult>;

/**
 * Waits for a campaign to end and says how it did. Only what is not the campaign's own ending rejects (Temporal
 * unreachable, no such workflow).
 */
export function waitForEnd(handle: CampaignHandle): Promise<CampaignEnding> {
  return endingOf<CampaignResult>(handle);
}

/** `waitForEnd` for an outreach campaign. */
export function waitForOutreachEnd(handle: AnyCampaignHandle): Promise<OutreachEnding> {
  return endingOf<OutreachResult>(handle);
}

async function endingOf<Result extends { outcome: string }>(
  handle: AnyCampaignHandle,
): Promise<Ending<Result>> {
  try {
    const result = (await handle.result()) as Result;
    return { how: 'returned', outcome: result.outcome, result };
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    if (error.cause instanceof CancelledFailure) return { how: 'cancelled', outcome: 'stopped' };
    return { how: 'failed', outcome: 'failed', reason: String(error.cause?.message ?? error.message) };
  }
}
