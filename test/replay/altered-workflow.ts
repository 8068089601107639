import { proxyActivities } from '@temporalio/workflow';
import type { CampaignActivities } from '../../src/activities';
import type { CampaignInput } from '../../src/workflows/definitions';
import type { OutreachInput } from '../../src/workflows/outreach-definitions';

/**
 * A deliberately incompatible `batchCampaign`: it skips checking the CSV and creates the batch first. Replaying
 * the recorded histories against it must fail, which proves the replay test can catch a breaking change.
 */
const { createBatch } = proxyActivities<CampaignActivities>({ startToCloseTimeout: '1 minute' });

export async function batchCampaign(input: CampaignInput): Promise<void> {
  await createBatch({ agentId: input.agentId, csvPath: input.csv, fileName: 'contacts.csv' });
}

/** A deliberately incompatible `outreachCampaign`: it plans a wave before preparing the ledger. */
const { planWave } = proxyActivities<CampaignActivities>({ startToCloseTimeout: '1 minute' });

export async function outreachCampaign(input: OutreachInput): Promise<void> {
  await planWave({ campaignKey: 'altered', ledger: input.csv, wave: 1, nowMs: 0, variableColumns: [] });
}
