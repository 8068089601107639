/**
 * The programmatic way to run campaigns from backend code: start or schedule one (a batch campaign, or an outreach
 * campaign of waves), get one back, list them, follow one, pause, resume or stop it and read how it ended. The package's entry (`import … from 'bolna-batch-campaigns'`); the CLI
 * (src/cli/) is a thin layer over it; each operation lives in src/campaigns/.
 */
export { connectClient } from './campaigns/connect';
export { defaultCampaignName } from './campaigns/checked-input';
export { startCampaign } from './campaigns/start';
export type { StartCampaignOptions, StartedCampaign } from './campaigns/start';
export { startOutreach } from './campaigns/start-outreach';
export type { StartOutreachOptions, StartedOutreach } from './campaigns/start-outreach';
export {
  checkScheduleOptions,
  defaultCatchupWindow,
  scheduleCampaign,
  scheduleOutreach,
} from './campaigns/schedule';
export type {
  ScheduleCampaignOptions,
  ScheduledCampaign,
  ScheduleOutreachOptions,
} from './campaigns/schedule';
export { getCampaign } from './campaigns/campaign';
export type { Campaign, CampaignReport } from './campaigns/campaign';
export type { AnyCampaignHandle, CampaignHandle, OutreachHandle } from './campaigns/handle';
export { findCampaign } from './campaigns/find';
export { agentBatches } from './campaigns/batches';
export type { AgentBatch, AgentBatches, BatchOwner } from './campaigns/batches';
export { describeCampaign } from './campaigns/describe';
export type { CampaignDescription, OutreachDescription } from './campaigns/describe';
export { campaignKind, campaignStatus } from './campaigns/status';
export type { CampaignKind, CampaignStatus } from './campaigns/status';
export { listCampaigns } from './campaigns/list';
export type { CampaignFilter, CampaignListing } from './campaigns/list';
export { followCampaign, followOutreach } from './campaigns/follow';
export type { FollowOptions } from './campaigns/follow';
export { stopCampaign } from './campaigns/stop';
export type { StopResult } from './campaigns/stop';
export { NotAnOutreachCampaignError, pauseCampaign, resumeCampaign } from './campaigns/pause';
export type { PauseResult } from './campaigns/pause';
export { waitForEnd, waitForOutreachEnd } from './campaigns/end';
export type { CampaignEnding, OutreachEnding } from './campaigns/end';
// What is thrown before anything starts, so callers can tell bad input from everything else.
export { InvalidCampaignInputError } from './inputs/campaign-input';
export { checkOutreachInput } from './inputs/outreach-input';
export { csvForRun } from './outreach/csv-for-run';
export { CsvValidationError } from './csv';
export type { CsvProblem, CsvSummary } from './csv';
// What listCampaigns throws when a filter needs a search attribute the namespace lacks.
export { MissingSearchAttributesError } from './temporal/search-attributes';
// The names operators, Schedules and other Temporal clients use: the workflow, its task queue, signal and query.
export {
  campaignPhases,
  campaignWorkflowId,
  defaultTaskQueue,
  progressQuery,
  stopSignal,
  workflowType,
} from './workflows/definitions';
export {
  outreachProgressQuery,
  outreachWorkflowId,
  outreachWorkflowType,
  pauseSignal,
  resumeSignal,
  retryableCallStatuses,
  weekdays,
} from './workflows/outreach-definitions';
export type {
  CallingWindow,
  CampaignGoal,
  OutreachInput,
  OutreachProgress,
  OutreachResult,
  RetryPolicy,
  SpendBudget,
} from './workflows/outreach-definitions';
export type {
  CallCounts,
  CampaignInput,
  CampaignPhase,
  CampaignProgress,
  CampaignResult,
  ResultsSummary,
} from './workflows/definitions';
