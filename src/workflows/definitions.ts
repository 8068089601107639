import { defineQuery, defineSignal } from '@temporalio/workflow';

/**
 * The names and shapes other people depend on: operators type them into the `temporal` CLI, scripts and Schedules
 * start workflows with them, and clients import them. Keep them stable.
 */

export const workflowType = 'batchCampaign';
export const defaultTaskQueue = 'bolna-batches';

/**
 * The task queues beside a campaign's own (`taskQueue`) where its Bolna requests run, each rate-limited by the
 * server for every worker at once (src/temporal/bolna-budget.ts): `calls` for the steps that change or collect a batch,
 * `polls` for the polls, so polls can never hold up the others. Every worker polls all three.
 */
export function bolnaTaskQueues(taskQueue: string): { calls: string; polls: string } {
  return { calls: `${taskQueue}-bolna`, polls: `${taskQueue}-bolna-polls` };
}

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
  /**
   * The campaign's business name, shown as the `CampaignName` search attribute (never personal data). Default: the
   * workflow ID without its `campaign-` prefix. `startCampaign` and schedules set it.
   */
  campaignName?: string;
  /** The contact list: a path the worker can read, or an http(s) URL. Must have a `contact_number` column. */
  csv: string;
  /**
   * SHA-256 (hex) of the CSV file as the starter validated it: the worker refuses (`CsvChanged`) a file whose
   * bytes differ. The CLI and `startCampaign` set it for a local file they checked; leave it out otherwise.
   */
  csvSha256?: string;
  /** Earliest start, ISO 8601 with any offset. Defaults to as soon as Bolna allows. */
  startAt?: string;
  /**
   * The latest start accepted, ISO 8601 with any offset: if Bolna cannot start the batch by then (the campaign got
   * to scheduling late), the batch is deleted unscheduled and the campaign ends `stopped`, having called nobody.
   * outreachCampaign sets it so that a wave never starts after its calling window has closed.
   */
  startBy?: string;
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
  /**
   * The shortest wait between two polls of the running batch, in seconds; default 30. Near the batch's expected end
   * it is polled this often; while it has long to go, less often (at most every 10 minutes, see poll-interval.ts).
   */
  pollIntervalSeconds?: number;
  /**
   * While Bolna pushes the batch to our webhook receiver (workers with BOLNA_WEBHOOK_BASE_URL), how often to poll
   * anyway, in seconds, in case a webhook is lost: a safety net, never more often than `pollIntervalSeconds`.
   * Default 300.
   */
  webhookPollSeconds?: number;
  /**
   * How long the batch may run after its start before it is stopped and its results collected (outcome
   * `timed-out`). Default: an hour plus 15 minutes for every `concurrency` rows (the account's concurrent calls, 10
   * when unknown), plus Bolna's own retry intervals when `retryConfig` is on: far more than a healthy batch needs,
   * so it only ends a batch that is stuck.
   */
  runningTimeoutMinutes?: number;
  /**
   * How long to keep retrying, visibly, when Bolna refuses the API key after the batch exists (a key revoked or
   * rotated mid-campaign), so an operator can restart the workers with the new key. Default 60.
   */
  keyRefusedRetryMinutes?: number;
  /** After a stop, how long to wait for calls already connected to finish before collecting. Default 15. */
  stopDrainMinutes?: number;
  /**
   * Continue-as-new once the history holds this many events. Temporal suggests it on its own for long runs; set
   * this only to keep runs shorter than the server's suggestion.
   */
  maxHistoryEvents?: number;
  /**
   * Internal: the state carried across continue-as-new. Only a run that continued as new from this campaign may
   * carry it; a start that sets it is refused.
   */
  resume?: CampaignState;
}

/** A campaign's phases, in the order it moves through them; it ends in one of the last three. */
export const campaignPhases = [
  'validating',
  'creating',
  'scheduling',
  'waiting',
  'running',
  'collecting',
  'completed',
  'stopped',
  'failed',
] as const;
export type CampaignPhase = (typeof campaignPhases)[number];

/** Calls per status, e.g. `{ completed: 12, ringing: 3 }`. */
export type CallCounts = Record<string, number>;

export interface CsvFacts {
  rows: number;
  variableColumns: string[];
  /** The validated, normalised copy that is uploaded: a path, or an `s3://` URI with an object store. */
  cleanCsvPath: string;
  sha256: string;
}

export interface ResultsSummary {
  batchId: string;
  /** Bolna's final batch status (`completed`, `executed` or `stopped`; `failed` or `canceled` if Bolna gave it up). */
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
  /**
   * CSV rows for which Bolna listed no execution, in the batch's listing (all its pages) or the agent's paginated
   * one: their outcome is unknown. 0 when every row has its result.
   */
  missingRows: number;
  /**
   * CSV rows Bolna dropped at upload (its batch counts them in `total_contacts` but not in `valid_contacts`): never
   * called. 0 when Bolna kept every row.
   */
  droppedRows: number;
  /**
   * Where every execution was written, as JSON Lines and as CSV (personal data), and the campaign's report
   * beside them (paths, or `s3://` URIs when the workers keep their files in object storage): `report.html` and `report.json`, aggregates only, to share. The report's paths are absent from
   * results collected before the report existed, or if writing it failed (the worker logs why).
   */
  files: { jsonl: string; csv: string; reportHtml?: string; reportJson?: string };
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
  /** The batch was still running at its deadline and was stopped. */
  timedOut?: boolean;
  /** When the running batch is stopped as timed-out. */
  runningDeadline?: string;
  /** Bolna pushes the batch to our webhook receiver (`bolnaWebhook` signals): polls are a safety net. */
  webhooks?: boolean;
  /** The distinct reports (status and calls per status) Bolna pushed, newest last: a repeated one changes nothing. */
  webhookReports?: string[];
  /** A pushed report not yet confirmed by a poll: the running campaign polls at once. */
  webhookToConfirm?: boolean;
  /** Calls the account can have on the line at once (`GET /user/me`), when Bolna said. */
  concurrency?: number;
  /** Since when Bolna has refused the API key (cleared when it accepts it again). */
  keyRefusedSince?: string;
  /** What is wrong right now, or why the campaign failed. */
  error?: string;
  /** The campaign's search attributes the namespace has registered, asked once: only these are set. */
  searchAttributes?: string[];
  /** Things an operator should know that did not stop the campaign (a passed start, an unknown status, ...). */
  warnings?: string[];
  summary?: ResultsSummary;
}

/** The `progress` query's answer: the state, in every phase. */
export type CampaignProgress = CampaignState;

/**
 * The workflow's result: the outcome and the results summary (absent when no call was made), never the execution
 * list itself, which lives in the results files.
 */
export interface CampaignResult extends Partial<ResultsSummary> {
  /** `timed-out`: the batch was still running at its deadline (`runningTimeoutMinutes`), so it was stopped. */
  outcome: 'completed' | 'stopped' | 'timed-out';
  /** Why it was stopped (absent when it completed). */
  stopReason?: string;
  warnings?: string[];
}

/**
 * Stop the campaign in any phase up to `running`. Before creation nothing is created; afterwards Bolna's batch is
 * stopped. Once the results are being collected there is nothing left to stop: the stop is noted and ignored.
 */
export const stopSignal = defineSignal<[reason?: string]>('stop');

/** What Bolna pushed to the campaign's webhook URL, as the receiver (`npm run webhooks`) hands it on. */
export interface BolnaWebhookReport {
  batchId: string;
  status: string;
  counts: CallCounts;
}

/**
 * Bolna pushed the batch (its webhook): the running campaign polls at once to confirm, instead of at its next
 * safety-net poll. A report for another batch is ignored; one already received changes nothing.
 */
export const bolnaWebhookSignal = defineSignal<[report: BolnaWebhookReport]>('bolnaWebhook');

/** Where the campaign is, answered in every phase. */
export const progressQuery = defineQuery<CampaignProgress>('progress');
