import { WorkflowNotFoundError } from '@temporalio/client';
import {
  outreachProgressQuery,
  outreachWorkflowType,
  pauseSignal,
  resumeSignal,
} from '../workflows/outreach-definitions';
import type { OutreachPhase } from '../workflows/outreach-definitions';
import type { AnyCampaignHandle } from './handle';

/** Only an outreach campaign can pause: a batch campaign is one Bolna batch, which Bolna cannot pause. */
export class NotAnOutreachCampaignError extends Error {
  override readonly name = 'NotAnOutreachCampaignError';
}

export interface PauseResult {
  workflowId: string;
  /** The signal was sent to the running campaign. */
  signalled: boolean;
  /** Whether the campaign is paused now, by its own account (its `progress`), once it took the signal. */
  paused?: boolean;
  /** Its phase after taking the signal (`paused` once the running wave is stopped). */
  phase?: OutreachPhase;
  /** The campaign had already ended: its workflow status (e.g. `COMPLETED`); nothing was sent. */
  status?: string;
}

/**
 * Pauses an outreach campaign (signal `pause`): its running wave is stopped at Bolna, contacts not yet called go
 * back to pending, and no wave starts until `resumeCampaign` (or the deadline). Pausing one that has ended is not
 * an error: the answer says so. A batch campaign is refused (NotAnOutreachCampaignError) instead of being sent a
 * signal it would ignore.
 */
export function pauseCampaign(handle: AnyCampaignHandle, reason?: string): Promise<PauseResult> {
  return signalOutreach(handle, 'pause', (outreach) => outreach.signal(pauseSignal, reason));
}

/** Resumes a paused outreach campaign (signal `resume`): it goes on with its next wave. As `pauseCampaign` otherwise. */
export function resumeCampaign(handle: AnyCampaignHandle): Promise<PauseResult> {
  return signalOutreach(handle, 'resume', (outreach) => outreach.signal(resumeSignal));
}

async function signalOutreach(
  handle: AnyCampaignHandle,
  what: 'pause' | 'resume',
  send: (handle: AnyCampaignHandle) => Promise<void>,
): Promise<PauseResult> {
  const { workflowId } = handle;
  const description = await handle.describe();
  if (description.type !== outreachWorkflowType) {
    throw new NotAnOutreachCampaignError(
      `${workflowId} is a ${description.type}, not an ${outreachWorkflowType}: only outreach campaigns ${what}; a batch campaign can only be stopped`,
    );
  }
  const endedAs = (status: string) => (status === 'RUNNING' ? undefined : status);
  let status = endedAs(description.status.name);
  if (status === undefined) {
    try {
      await send(handle);
    } catch (error) {
      // It ended between the look and the signal.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      status = endedAs((await handle.describe()).status.name);
      if (status === undefined) throw error;
    }
  }
  if (status !== undefined) return { workflowId, signalled: false, status };
  // A query sees every event already in the history, the signal included.
  const progress = await handle.query(outreachProgressQuery);
  return { workflowId, signalled: true, paused: progress.paused, phase: progress.phase };
}
