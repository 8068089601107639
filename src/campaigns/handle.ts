import type { WorkflowHandle } from '@temporalio/client';
import type { batchCampaign } from '../workflows/batch-campaign';

/** A running or finished campaign: its `batchCampaign` workflow, typed so signals, queries and results are too. */
export type CampaignHandle = WorkflowHandle<typeof batchCampaign>;

/**
 * A running or finished `outreachCampaign`. Its signals and queries are typed by their definitions
 * (src/workflows/outreach-definitions.ts); the workflow function itself is not needed to reach it.
 */
export type OutreachHandle = WorkflowHandle;

/** Either kind of campaign, for what works on both by name (`stop`, `progress`). */
export type AnyCampaignHandle = CampaignHandle | OutreachHandle;
