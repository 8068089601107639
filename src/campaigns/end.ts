import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import type { CampaignResult } from '../workflows/definitions';
import type { CampaignHandle } from './handle';

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

/**
 * Waits for a campaign to end and says how it did. Only what is not the campaign's own ending rejects (Temporal
 * unreachable, no such workflow).
 */
export async function waitForEnd(handle: CampaignHandle): Promise<CampaignEnding> {
  try {
    const result = await handle.result();
    return { how: 'returned', outcome: result.outcome, result };
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    if (error.cause instanceof CancelledFailure) return { how: 'cancelled', outcome: 'stopped' };
    return { how: 'failed', outcome: 'failed', reason: String(error.cause?.message ?? error.message) };
  }
}
