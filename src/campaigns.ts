import { basename, extname, resolve } from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { ScheduleHandle, WorkflowHandle } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { checkCampaignInput, InvalidCampaignInputError } from './campaign-input';
import { dataConverterFromEnv } from './codec/data-converter';
import { isCountryCode, validateCampaignCsv } from './csv';
import type { CsvSummary } from './csv';
import { displayUrl } from './display-url';
import type { batchCampaign } from './workflows/batch-campaign';
import {
  campaignWorkflowId,
  defaultTaskQueue,
  progressQuery,
  stopSignal,
  workflowType,
} from './workflows/definitions';
import type { CampaignInput, CampaignPhase } from './workflows/definitions';

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
   * The workflow checks again on the worker either way. Default true: the path is then sent absolute, with the
   * checked file's SHA-256 (`csvSha256`), so the worker refuses any other file. `false` is for a path that
   * exists only on the worker's host: it is sent as given (the worker resolves it in its own folder), unchecked.
   */
  validateLocally?: boolean;
}

export interface StartedCampaign {
  handle: CampaignHandle;
  workflowId: string;
  /** Present when the CSV was checked locally. */
  csv?: CsvSummary;
}

/**
 * Checks what can be checked before anything starts: a bad country, start time or local CSV costs nothing. A
 * local CSV checked here is sent as an absolute path, so the worker does not resolve it in a folder of its own,
 * and, with `pinDigest`, with the digest of the bytes checked.
 */
async function validateInput(
  input: CampaignInput,
  validateLocally: boolean,
  pinDigest: boolean,
): Promise<{ sent: CampaignInput; csv?: CsvSummary }> {
  checkCampaignInput(input, Date.now());
  if (!validateLocally || isUrl(input.csv)) return { sent: input };
  const { defaultCountry } = input;
  const csv = await validateCampaignCsv(
    input.csv,
    defaultCountry && isCountryCode(defaultCountry) ? { defaultCountry } : {},
  );
  if (input.csvSha256 && input.csvSha256.toLowerCase() !== csv.sourceSha256) {
    throw new InvalidCampaignInputError(
      `Invalid campaign input:\n  csvSha256: the file '${input.csv}' has SHA-256 ${csv.sourceSha256}`,
    );
  }
  const sent = { ...input, csv: resolve(input.csv), ...(pinDigest ? { csvSha256: csv.sourceSha256 } : {}) };
  return { sent, csv };
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
  const { sent, csv } = await validateInput(input, options.validateLocally !== false, true);
  const workflowId = campaignWorkflowId(options.name ?? defaultCampaignName(input.csv));
  const handle = await options.client.workflow.start<typeof batchCampaign>(workflowType, {
    workflowId,
    taskQueue: options.taskQueue ?? defaultTaskQueue,
    args: [sent],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    // Shown in the Web UI's workflow list and header, so operators see what a campaign is at a glance.
    staticSummary: `Bolna campaign: ${csv ? `${csv.rows} contacts` : displayUrl(input.csv)} · agent ${input.agentId}`,
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
 * while the previous one is still calling is skipped rather than overlapped. A local CSV is checked now and sent
 * as an absolute path, but without a digest: each run reads the file as it is by then, changes included.
 */
export async function scheduleCampaign(
  options: ScheduleCampaignOptions,
): Promise<{ handle: ScheduleHandle; scheduleId: string; csv?: CsvSummary }> {
  const { input } = options;
  const { sent, csv } = await validateInput(input, options.validateLocally !== false, false);
  const scheduleId = campaignWorkflowId(options.name ?? defaultCampaignName(input.csv));
  const handle = await options.client.schedule.create({
    scheduleId,
    spec: { cronExpressions: options.cron, ...(options.timezone ? { timezone: options.timezone } : {}) },
    action: {
      type: 'startWorkflow',
      workflowType,
      workflowId: scheduleId,
      taskQueue: options.taskQueue ?? defaultTaskQueue,
      args: [sent],
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

export interface StopResult {
  workflowId: string;
  /** The campaign took the stop: it stops its batch and collects the calls made so far. */
  stopRequested: boolean;
  /** The campaign had already ended: its workflow status (e.g. `COMPLETED`). */
  status?: string;
  /** The campaign was already collecting its results (or finishing): nothing was left to stop. */
  phase?: CampaignPhase;
}

/**
 * Stops a campaign that may already have ended. Stopping one that has ended is not an error (what the caller wanted
 * is already true), nor is stopping one that is collecting its results (there is nothing left to stop); the answer
 * says which happened.
 */
export async function stopCampaign(handle: CampaignHandle, reason?: string): Promise<StopResult> {
  const { workflowId } = handle;
  const endedAs = async () => {
    const status = (await handle.describe()).status.name;
    return status === 'RUNNING' ? undefined : status;
  };
  let status = await endedAs();
  if (status === undefined) {
    try {
      await handle.signal(stopSignal, reason);
    } catch (error) {
      // It ended between the look and the signal.
      if (!(error instanceof WorkflowNotFoundError) || (status = await endedAs()) === undefined) throw error;
    }
  }
  if (status !== undefined) return { workflowId, stopRequested: false, status };
  // A query sees every event already in the history, the stop included: did the campaign take it?
  const progress = await handle.query(progressQuery);
  return progress.stopRequested
    ? { workflowId, stopRequested: true }
    : { workflowId, stopRequested: false, phase: progress.phase };
}
