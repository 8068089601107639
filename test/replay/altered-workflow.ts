import { proxyActivities } from '@temporalio/workflow';
import type { CampaignActivities } from '../../src/activities';
import type { CampaignInput } from '../../src/workflows/definitions';

/**
 * A deliberately incompatible `batchCampaign`: it skips checking the CSV and creates the batch first. Replaying
 * the recorded histories against it must fail, which proves the replay test can catch a breaking change.
 */
const { createBatch } = proxyActivities<CampaignActivities>({ startToCloseTimeout: '1 minute' });

export async function batchCampaign(input: CampaignInput): Promise<void> {
  await createBatch({ agentId: input.agentId, csvPath: input.csv, fileName: 'contacts.csv' });
}
