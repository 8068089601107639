import type { Client } from '@temporalio/client';
import type { CsvSummary } from '../csv';
import { checkCampaignInput } from '../inputs/campaign-input';
import { displayUrl } from '../platform/display-url';
import type { batchCampaign } from '../workflows/batch-campaign';
import { campaignWorkflowId, defaultTaskQueue, workflowType } from '../workflows/definitions';
import type { CampaignInput } from '../workflows/definitions';
import { campaignOf } from './campaign';
import type { Campaign } from './campaign';
import { checkInputLocally, defaultCampaignName } from './checked-input';

export interface StartCampaignOptions {
  client: Client;
  input: CampaignInput;
  /** Business key; the workflow ID is `campaign-<name>`. Defaults to the CSV's file name. */
  name?: string;
  taskQueue?: string;
  /**
   * Check a local CSV here, before anything starts, so bad input costs nothing and fails where the user is.
   * The workflow checks again on the worker either way. Default true: the path is then sent absolute, with the
   * checked file's SHA-256 (`csvSha256`), so the worker refuses any other file. `false` is for a path that
   * exists only on the worker's host: it is sent as given (the worker resolves it in its own folder), unchecked.
   */
  validateLocally?: boolean;
}

/** The campaign just started, and what the local check found in its CSV. */
export interface StartedCampaign extends Campaign {
  /** Present when the CSV was checked locally. */
  csv?: CsvSummary;
}

/**
 * Starts `batchCampaign`. Starting a campaign whose ID is already running or finished is refused by Temporal
 * (WorkflowExecutionAlreadyStartedError); only a failed campaign may be started again under the same name.
 */
export async function startCampaign(options: StartCampaignOptions): Promise<StartedCampaign> {
  const { input } = options;
  const { sent, csv } = await checkInputLocally(input, {
    checkInput: checkCampaignInput,
    validateLocally: options.validateLocally !== false,
    pinDigest: true,
  });
  const name = options.name ?? defaultCampaignName(input.csv);
  const workflowId = campaignWorkflowId(name);
  const contacts = csv ? `${csv.rows} contacts` : displayUrl(input.csv);
  const handle = await options.client.workflow.start<typeof batchCampaign>(workflowType, {
    workflowId,
    taskQueue: options.taskQueue ?? defaultTaskQueue,
    args: [{ campaignName: name, ...sent }],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    // Shown in the Web UI's workflow list and header, so operators see what a campaign is at a glance.
    staticSummary: `Bolna campaign ${name}: ${contacts} · agent ${input.agentId}`,
    staticDetails: startDetails(name, contacts, sent),
  });
  return { ...campaignOf(handle), ...(csv ? { csv } : {}) };
}

/** What the Web UI shows about a campaign from its start: what it calls, with whom, and when. */
function startDetails(name: string, contacts: string, input: CampaignInput): string {
  return [
    '| campaign | |',
    '| --- | --- |',
    `| name | ${name} |`,
    `| agent | ${input.agentId} |`,
    `| contacts | ${contacts} |`,
    `| requested start | ${input.startAt ?? 'as soon as Bolna allows'} |`,
  ].join('\n');
}
