/**
 * The programmatic way to run campaigns from backend code: start or schedule one, find one, follow it, stop it and
 * read how it ended. The CLI (src/cli/) is a thin layer over these; each lives in src/campaigns/.
 */
export { connectClient } from './campaigns/connect';
export { defaultCampaignName } from './campaigns/checked-input';
export { startCampaign } from './campaigns/start';
export type { StartCampaignOptions, StartedCampaign } from './campaigns/start';
export { scheduleCampaign } from './campaigns/schedule';
export type { ScheduleCampaignOptions } from './campaigns/schedule';
export type { CampaignHandle } from './campaigns/handle';
export { findCampaign } from './campaigns/find';
export { agentBatches } from './campaigns/batches';
export type { AgentBatch, AgentBatches, BatchOwner } from './campaigns/batches';
export { describeCampaign } from './campaigns/describe';
export type { CampaignDescription } from './campaigns/describe';
export { listCampaigns } from './campaigns/list';
export type { CampaignFilter, CampaignListing } from './campaigns/list';
export { followCampaign } from './campaigns/follow';
export type { FollowOptions } from './campaigns/follow';
export { stopCampaign } from './campaigns/stop';
export type { StopResult } from './campaigns/stop';
export { waitForEnd } from './campaigns/end';
export type { CampaignEnding } from './campaigns/end';
export type { CampaignInput, CampaignProgress, CampaignResult } from './workflows/definitions';
