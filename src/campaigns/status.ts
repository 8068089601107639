import { progressQuery } from '../workflows/definitions';
import type { CampaignProgress } from '../workflows/definitions';
import { outreachProgressQuery, outreachWorkflowType } from '../workflows/outreach-definitions';
import type { OutreachProgress } from '../workflows/outreach-definitions';
import type { AnyCampaignHandle } from './handle';

/** A single-batch `batchCampaign`, or an `outreachCampaign` of waves. */
export type CampaignKind = 'batch' | 'outreach';

/**
 * A campaign's progress, typed by its kind: both answer the query `progress`, with different shapes (a batch's
 * phase, batch and calls; an outreach's contacts by state, waves, spend and next wave).
 */
export type CampaignStatus =
  | { kind: 'batch'; workflowId: string; progress: CampaignProgress }
  | { kind: 'outreach'; workflowId: string; progress: OutreachProgress };

/** Which kind of campaign a workflow is, by its workflow type (anything but an outreach is read as a batch). */
export async function campaignKind(handle: AnyCampaignHandle): Promise<CampaignKind> {
  return (await handle.describe()).type === outreachWorkflowType ? 'outreach' : 'batch';
}

/** Where a campaign of either kind is now (the `progress` query, asked of a worker; answered after the end too). */
export async function campaignStatus(handle: AnyCampaignHandle): Promise<CampaignStatus> {
  const { workflowId } = handle;
  return (await campaignKind(handle)) === 'outreach'
    ? { kind: 'outreach', workflowId, progress: await handle.query(outreachProgressQuery) }
    : { kind: 'batch', workflowId, progress: await handle.query(progressQuery) };
}
