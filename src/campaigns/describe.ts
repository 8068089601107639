import type { WorkflowExecutionStatusName } from '@temporalio/client';
import { progressQuery } from '../workflows/definitions';
import type { CampaignProgress } from '../workflows/definitions';
import { outreachProgressQuery, outreachWorkflowType } from '../workflows/outreach-definitions';
import type { OutreachProgress } from '../workflows/outreach-definitions';
import { campaignAttributeFields } from './attribute-fields';
import type { CampaignAttributeFields } from './attribute-fields';
import { waitForEnd, waitForOutreachEnd } from './end';
import type { CampaignEnding, OutreachEnding } from './end';
import type { AnyCampaignHandle, CampaignHandle } from './handle';

/** What Temporal knows of any campaign's workflow. */
interface WorkflowFacts extends CampaignAttributeFields {
  workflowId: string;
  runId: string;
  status: WorkflowExecutionStatusName;
  taskQueue: string;
  startTime: Date;
  closeTime?: Date;
  historyLength: number;
  /** The Web UI's one-line summary, set at start ("Bolna campaign <name>: <n> contacts · agent …"). */
  summary?: string;
  /** Why `progress` is missing from a running campaign (no worker answered the query, say). */
  progressUnavailable?: string;
}

/** Everything an operator needs about one campaign, from Temporal (no request reaches Bolna). */
export interface CampaignDescription extends WorkflowFacts {
  /** The `progress` query's answer while the campaign runs. */
  progress?: CampaignProgress;
  /** How it ended, once it has. */
  ending?: CampaignEnding;
}

/** The same for an outreach campaign: its progress (contacts, waves, spend, next wave) or its ending. */
export interface OutreachDescription extends WorkflowFacts {
  /** Present on an outreach campaign only, so the two descriptions tell themselves apart. */
  workflowType: typeof outreachWorkflowType;
  progress?: OutreachProgress;
  ending?: OutreachEnding;
}

/**
 * Describes a campaign of either kind: its workflow, its search attributes, and either its live progress (asked of
 * a worker) or how it ended (read from its closed history, no worker needed). An outreach campaign's description
 * carries `workflowType: 'outreachCampaign'`; a batch campaign's is as it always was.
 */
export async function describeCampaign(
  handle: AnyCampaignHandle,
): Promise<CampaignDescription | OutreachDescription> {
  const workflow = await handle.describe();
  const summary = await workflow.staticSummary();
  const description: WorkflowFacts = {
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
  const running = workflow.status.name === 'RUNNING';
  if (workflow.type === outreachWorkflowType) {
    const outreach: Omit<OutreachDescription, 'progress' | 'ending'> = {
      ...description,
      workflowType: outreachWorkflowType,
    };
    if (!running) return { ...outreach, ending: await waitForOutreachEnd(handle) };
    return withProgress(outreach, () => handle.query(outreachProgressQuery));
  }
  if (!running) return { ...description, ending: await waitForEnd(handle as CampaignHandle) };
  return withProgress(description, () => handle.query(progressQuery));
}

/** The description with the campaign's progress, or with why a running campaign did not answer. */
async function withProgress<Description extends WorkflowFacts, Progress>(
  description: Description,
  ask: () => Promise<Progress>,
): Promise<Description & { progress?: Progress }> {
  try {
    return { ...description, progress: await ask() };
  } catch (error) {
    return { ...description, progressUnavailable: error instanceof Error ? error.message : String(error) };
  }
}
