import type { WorkflowExecutionStatusName } from '@temporalio/client';
import { progressQuery } from '../workflows/definitions';
import type { CampaignProgress } from '../workflows/definitions';
import { campaignAttributeFields } from './attribute-fields';
import type { CampaignAttributeFields } from './attribute-fields';
import { waitForEnd } from './end';
import type { CampaignEnding } from './end';
import type { CampaignHandle } from './handle';

/** Everything an operator needs about one campaign, from Temporal (no request reaches Bolna). */
export interface CampaignDescription extends CampaignAttributeFields {
  workflowId: string;
  runId: string;
  status: WorkflowExecutionStatusName;
  taskQueue: string;
  startTime: Date;
  closeTime?: Date;
  historyLength: number;
  /** The Web UI's one-line summary, set at start ("Bolna campaign <name>: <n> contacts · agent …"). */
  summary?: string;
  /** The `progress` query's answer while the campaign runs. */
  progress?: CampaignProgress;
  /** Why `progress` is missing from a running campaign (no worker answered the query, say). */
  progressUnavailable?: string;
  /** How it ended, once it has. */
  ending?: CampaignEnding;
}

/**
 * Describes a campaign: its workflow, its search attributes, and either its live progress (asked of a worker) or
 * how it ended (read from its closed history, no worker needed).
 */
export async function describeCampaign(handle: CampaignHandle): Promise<CampaignDescription> {
  const workflow = await handle.describe();
  const summary = await workflow.staticSummary();
  const description: CampaignDescription = {
    workflowId: workflow.workflowId,
    runId: workflow.runId,
    status: workflow.status.name,
    taskQueue: workflow.taskQueue,
    startTime: workflow.startTime,
    historyLength: workflow.historyLength,
    ...(workflow.closeTime ? { closeTime: workflow.closeTime } : {}),
    ...(summary !== undefined ? { summary } : {}),
    ...campaignAttributeFields(workflow.typedSearchAttributes),
  };
  if (workflow.status.name !== 'RUNNING') {
    return { ...description, ending: await waitForEnd(handle) };
  }
  try {
    return { ...description, progress: await handle.query(progressQuery) };
  } catch (error) {
    return { ...description, progressUnavailable: error instanceof Error ? error.message : String(error) };
  }
}
