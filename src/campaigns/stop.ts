import { WorkflowNotFoundError } from '@temporalio/client';
import { progressQuery, stopSignal } from '../workflows/definitions';
import type { CampaignPhase } from '../workflows/definitions';
import type { OutreachPhase } from '../workflows/outreach-definitions';
import { outreachWorkflowType } from '../workflows/outreach-definitions';
import type { AnyCampaignHandle } from './handle';
import type { CampaignKind } from './status';

export interface StopResult {
  workflowId: string;
  /** Which kind of campaign it is, by its workflow type: a single-batch one, or an outreach campaign of waves. */
  kind: CampaignKind;
  /** The campaign took the stop: it stops its batch and collects the calls made so far. */
  stopRequested: boolean;
  /** The campaign had already ended: its workflow status (e.g. `COMPLETED`). */
  status?: string;
  /** The campaign was already collecting its results (or finishing): nothing was left to stop. */
  phase?: CampaignPhase | OutreachPhase;
}

/**
 * Stops a campaign that may already have ended. Stopping one that has ended is not an error (what the caller wanted
 * is already true), nor is stopping one that is collecting its results (there is nothing left to stop); the answer
 * says which happened. Works for an outreach campaign too: its `stop` signal and `progress` query have the same names
 * and the fields read here (`stopRequested`, `phase`).
 */
export async function stopCampaign(handle: AnyCampaignHandle, reason?: string): Promise<StopResult> {
  const { workflowId } = handle;
  let kind: CampaignKind = 'batch';
  const endedAs = async () => {
    const description = await handle.describe();
    kind = description.type === outreachWorkflowType ? 'outreach' : 'batch';
    const status = description.status.name;
    return status === 'RUNNING' ? undefined : status;
  };
  let status = await endedAs();
  if (status === undefined) {
    try {
      await handle.signal(stopSignal, reason);
    } catch (error) {
      // It ended between the look and the signal.
      if (!(error instanceof WorkflowNotFoundError) || (status = await endedAs()) === undefined) throw error;
    }
  }
  if (status !== undefined) return { workflowId, kind, stopRequested: false, status };
  // A query sees every event already in the history, the stop included: did the campaign take it?
  const progress = await handle.query(progressQuery);
  return progress.stopRequested
    ? { workflowId, kind, stopRequested: true }
    : { workflowId, kind, stopRequested: false, phase: progress.phase };
}
