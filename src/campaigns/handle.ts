import type { WorkflowHandle } from '@temporalio/client';
import type { batchCampaign } from '../workflows/batch-campaign';

/** A running or finished campaign: its `batchCampaign` workflow, typed so signals, queries and results are too. */
export type CampaignHandle = WorkflowHandle<typeof batchCampaign>;
