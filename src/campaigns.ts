import { basename, extname } from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { ScheduleHandle, WorkflowHandle } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { checkCampaignInput } from './campaign-input';
import { dataConverterFromEnv } from './codec/data-converter';
import { isCountryCode, validateCampaignCsv } from './csv';
import type { CsvSummary } from './csv';
import type { batchCampaign } from './workflows/batch-campaign';
import { campaignWorkflowId, defaultTaskQueue, workflowType } from './workflows/definitions';
import type { CampaignInput } from './workflows/definitions';

/**
 * The programmatic way to run campaigns from backend code: start one, find one, and talk to it. The CLI in
 * starter.ts is a thin layer over these.
 */

export type CampaignHandle = WorkflowHandle<typeof batchCampaign>;

/**
 * A Temporal client from the standard TEMPORAL_* variables or temporal.toml profile, encrypting payloads when
 * BOLNA_PAYLOAD_KEY is set (workers and clients must agree on it).
 */
export async function connectClient(): Promise<Client> {
  const dataConverter = dataConverterFromEnv();
  const { connectionOptions, namespace } = loadClientConnectConfig();
  const connection = await Connection.connect(connectionOptions).catch((error: unknown) => {
    const address = connectionOptions.address ?? 'localhost:7233';
    throw new Error(`Cannot reach Temporal at ${address} (set TEMPORAL_ADDRESS?): ${String(error)}`);
  });
  return new Client({
    connection,
    ...(namespace ? { namespace } : {}),
    ...(dataConverter ? { dataConverter } : {}),
  });
}

export interface StartCampaignOptions {
  client: Client;
  input: CampaignInput;
  /** Business key; the workflow ID is `campaign-<name>`. Defaults to the CSV's file name. */
  name?: string;
  taskQueue?: string;
  /**
   * Check a local CSV here, before anything starts, so bad input costs nothing and fails where the user is.
   * The workflow checks again on the worker either way. Default true.
   */
  validateLocally?: boolean;
}

export interface StartedCampaign {
  handle: CampaignHandle;
  workflowId: string;
  /** Present when the CSV was checked locally. */
  csv?: CsvSummary;
}

/** Checks what can be checked before anything starts: a bad country, start time or local CSV costs nothing. */
async function validateInput(
  input: CampaignInput,
  validateLocally: boolean,
): Promise<CsvSummary | undefined> {
  checkCampaignInput(input, Date.now());
  if (!validateLocally || isUrl(input.csv)) return undefined;
  const { defaultCountry } = input;
  return validateCampaignCsv(
    input.csv,
    defaultCountry && isCountryCode(defaultCountry) ? { defaultCountry } : {},
  );
}

const isUrl = (csv: string) => /^https?:\/\//i.test(csv);

export function defaultCampaignName(csv: string): string {
  const file = basename(isUrl(csv) ? new URL(csv).pathname : csv);
  return basename(file, extname(file)) || 'campaign';
}

/**
 * Starts `batchCampaign`. Starting a campaign whose ID is already running or finished is refused by Temporal
 * (WorkflowExecutionAlreadyStartedError); only a failed campaign may be started again under the same name.
 */
export async function startCampaign(options: StartCampaignOptions): Promise<StartedCampaign> {
  const { input } = options;
  const csv = await validateInput(input, options.validateLocally !== false);
  const workflowId = campaignWorkflowId(options.name ?? defaultCampaignName(input.csv));
  const handle = await options.client.workflow.start<typeof batchCampaign>(workflowType, {
    workflowId,
    taskQueue: options.taskQueue ?? defaultTaskQueue,
    args: [input],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    // Shown in the Web UI's workflow list and header, so operators see what a campaign is at a glance.
    staticSummary: `Bolna campaign: ${csv ? `${csv.rows} contacts` : input.csv} · agent ${input.agentId}`,
  });
  return { handle, workflowId, ...(csv ? { csv } : {}) };
}

export interface ScheduleCampaignOptions extends StartCampaignOptions {
  /** Cron expressions, e.g. `0 10 * * MON-FRI` for 10:00 on weekdays. */
  cron: string[];
  /** IANA time zone the cron is read in, e.g. `Asia/Kolkata`. Default UTC. */
  timezone?: string;
}

/**
 * A recurring campaign on a Temporal Schedule: each run is its own `batchCampaign` workflow (the schedule appends
 * the run time to the ID), with its own batch and results folder, reading the CSV afresh. A run that would start
 * while the previous one is still calling is skipped rather than overlapped.
 */
export async function scheduleCampaign(
  options: ScheduleCampaignOptions,
): Promise<{ handle: ScheduleHandle; scheduleId: string; csv?: CsvSummary }> {
  const { input } = options;
  const csv = await validateInput(input, options.validateLocally !== false);
  const scheduleId = campaignWorkflowId(options.name ?? defaultCampaignName(input.csv));
  const handle = await options.client.schedule.create({
    scheduleId,
    spec: { cronExpressions: options.cron, ...(options.timezone ? { timezone: options.timezone } : {}) },
    action: {
      type: 'startWorkflow',
      workflowType,
      workflowId: scheduleId,
      taskQueue: options.taskQueue ?? defaultTaskQueue,
      args: [input],
      staticSummary: `Recurring Bolna campaign ${scheduleId} · agent ${input.agentId}`,
    },
    policies: { overlap: 'SKIP' },
  });
  return { handle, scheduleId, ...(csv ? { csv } : {}) };
}

/**
 * Finds a campaign by workflow ID or by campaign name: the argument is tried as a workflow ID first (so IDs
 * chosen with `temporal workflow start` work), then as a name.
 */
export async function findCampaign(client: Client, idOrName: string): Promise<CampaignHandle> {
  const candidates = [idOrName];
  try {
    const derived = campaignWorkflowId(idOrName);
    if (derived !== idOrName) candidates.push(derived);
  } catch {
    // not usable as a name; only the literal ID remains
  }
  for (const workflowId of candidates) {
    const handle = client.workflow.getHandle<typeof batchCampaign>(workflowId);
    try {
      await handle.describe();
      return handle;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  throw new WorkflowNotFoundError(
    `No campaign '${idOrName}' (tried ${candidates.join(', ')})`,
    idOrName,
    undefined,
  );
}
