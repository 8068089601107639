import type { Client } from '@temporalio/client';
import type { BolnaClient } from '../bolna/client';
import type { Batch } from '../bolna/schemas';
import { listCampaigns } from './list';
import type { CampaignListing } from './list';

/** Who owns a batch at Bolna, as far as Temporal can tell. */
export type BatchOwner =
  /** A campaign whose `BolnaBatchId` search attribute names the batch. */
  | { campaign: CampaignListing; by: 'search-attribute' }
  /**
   * The campaign the batch's upload name points at (`<workflow ID>-<first run ID>.csv`) when no search attribute
   * does: a namespace without them, or a batch whose campaign never got to set it (a create answered too late).
   */
  | { workflowId: string; firstRunId: string; by: 'file-name' };

export interface AgentBatch {
  batch: Batch;
  /** Absent for batches made outside this product (Bolna's dashboard, another tool). */
  owner?: BatchOwner;
}

export interface AgentBatches {
  batches: AgentBatch[];
  /** Why owners could be matched by upload name only (the namespace refused the search-attribute query). */
  ownersByFileNameOnly?: string;
}

const uploadName = /^(.+)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.csv$/;

/**
 * Bolna's own list of an agent's batches (`GET /batches/{agent_id}/all`), each marked with the campaign that owns
 * it: batches left behind by a campaign that failed or was terminated show up here and nowhere else.
 */
export async function agentBatches(
  client: Client,
  bolna: BolnaClient,
  agentId: string,
): Promise<AgentBatches> {
  const batches = await bolna.listAgentBatches(agentId);
  let campaigns: CampaignListing[] = [];
  let ownersByFileNameOnly: string | undefined;
  try {
    campaigns = await listCampaigns(client, { agentId });
  } catch (error) {
    ownersByFileNameOnly = error instanceof Error ? error.message : String(error);
  }
  const byBatch = new Map(
    campaigns.flatMap((campaign) => (campaign.batchId ? [[campaign.batchId, campaign]] : [])),
  );
  return {
    batches: batches.map((batch) => {
      const campaign = byBatch.get(batch.batch_id);
      if (campaign) return { batch, owner: { campaign, by: 'search-attribute' } };
      const named = uploadName.exec(batch.file_name ?? '');
      return named?.[1] && named[2]
        ? { batch, owner: { workflowId: named[1], firstRunId: named[2], by: 'file-name' } }
        : { batch };
    }),
    ...(ownersByFileNameOnly ? { ownersByFileNameOnly } : {}),
  };
}
