import { defineQuery, defineSignal } from '@temporalio/workflow';

/**
 * The names and shapes other people depend on: operators type them into the `temporal` CLI, scripts and Schedules
 * start workflows with them, and clients import them. Keep them stable.
 */

export const workflowType = 'batchCampaign';
export const defaultTaskQueue = 'bolna-batches';

/** Workflow IDs come from a business key, so starting the same campaign twice is refused instead of doubled. */
export function campaignWorkflowId(name: string): string {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!slug) throw new Error(`'${name}' does not make a usable campaign name`);
  return `campaign-${slug}`;
}

/** The one argument of `batchCampaign`. Only `agentId` and `csv` are required. */
export interface CampaignInput {
  /** The Bolna agent (uuid) that makes the calls. */
  agentId: string;
  /** The contact list: a path the worker can read, or an http(s) URL. Must have a `contact_number` column. */
  csv: string;
  /**
   * SHA-256 (hex) of the CSV file as the starter validated it: the worker refuses (`CsvChanged`) a file whose
   * bytes differ. The CLI and `startCampaign` set it for a local file they checked; leave it out otherwise.
   */
  csvSha256?: string;
  /** Earliest start, ISO 8601 with any offset. Defaults to as soon as Bolna allows. */
  startAt?: string;
  /** Caller IDs Bolna rotates through. */
  fromPhoneNumbers?: string[];
  /** Country assumed for numbers written without `+` (ISO 3166 alpha-2, e.g. `IN`). Without it they are errors. */
  defaultCountry?: string;
  /** Bolna's own per-call auto-retry (`retry_config`), passed through as documented. */
  retryConfig?: {
    enabled: boolean;
    max_retries?: number;
    retry_on_statuses?: string[];
    retry_on_voicemail?: boolean;
    retry_intervals_minutes?: number[];
  };
  /** Bolna POSTs the batch here when it finishes. */
  webhookUrl?: string;
  bypassCallGuardrails?: boolean;
  /** How often to poll the batch while it runs, in seconds. Default 30. */
  pollIntervalSeconds?: number;
  /**
   * Continue-as-new once the history holds this many events. Temporal suggests it on its own for long runs; set
   * this only to keep runs shorter than the server's suggestion.
   */
  maxHistoryEvents?: number;
  /** Internal: the state carried across continue-as-new. Never set it yourself. */
  resume?: CampaignState;
}

export type CampaignPhase =
  | 'validating'
  | 'creating'
  | 'scheduling'
  | 'waiting'
  | 'running'
  | 'collecting'
  | 'completed'
  | 'stopped'
  | 'failed';

/** Calls per status, e.g. `{ completed: 12, ringing: 3 }`. */
export type CallCounts = Record<string, number>;

export interface CsvFacts {
  rows: number;
  variableColumns: string[];
  /** The validated, normalised copy that is uploaded (on the worker's disk). */
  cleanCsvPath: string;
  sha256: string;
}

export interface ResultsSummary {
  batchId: string;
  /** Bolna's final batch status (`completed`, `executed` or `stopped`). */
  batchStatus: string;
  totalCalls: number;
  counts: CallCounts;
  /** Calls a person picked up and talked to (`completed`, not voicemail). */
  answered: number;
  /** Calls that reached voicemail. */
  voicemail: number;
  /** Calls Bolna never placed because the wallet ran out (`balance-low`): top up and run them again. */
  balanceLow: number;
  totalDurationSeconds: number;
  /** Bolna reports cost in cents. */
  totalCostCents: number;
  /** Where every execution was written, as JSON Lines and as CSV. */
  files: { jsonl: string; csv: string };
}

/** What the workflow knows; also what it hands to its next run on continue-as-new. */
export interface CampaignState {
  phase: CampaignPhase;
  csv?: CsvFacts;
  batchId?: string;
  batchStatus?: string;
  /** What we asked Bolna for (numeric offset). */
  scheduledAt?: string;
  /** When Bolna will actually start: the request rounded up to its next 10-minute mark. */
  startsAt?: string;
  counts: CallCounts;
  lastPolledAt?: string;
  stopRequested: boolean;
  stopReason?: string;
  error?: string;
  summary?: ResultsSummary;
}

/** The `progress` query's answer: the state, in every phase. */
export type CampaignProgress = CampaignState;

/**
 * The workflow's result: the outcome and the results summary (absent when no call was made), never the execution
 * list itself, which lives in the results files.
 */
export interface CampaignResult extends Partial<ResultsSummary> {
  outcome: 'completed' | 'stopped';
  stopReason?: string;
}

/** Stop the campaign in any phase. Before creation nothing is created; afterwards Bolna's batch is stopped. */
export const stopSignal = defineSignal<[reason?: string]>('stop');

/** Where the campaign is, answered in every phase. */
export const progressQuery = defineQuery<CampaignProgress>('progress');
