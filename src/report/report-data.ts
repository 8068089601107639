/**
 * The shape of `report.json`: a campaign's figures, aggregates only. Nothing in it names or numbers a person, so it
 * can be shared with people who may not see the per-call results (`executions.jsonl`/`.csv` hold personal data).
 */

/** Bumped when a field changes meaning or goes away (new fields may appear without a bump). */
export const reportFormatVersion = 1;

export interface CampaignReport {
  reportFormatVersion: number;
  generatedAt: string;
  campaign: ReportedCampaign;
  calls: {
    /** Executions read (one per CSV row that Bolna listed). */
    total: number;
    /** Lines of the executions files that were not an execution (a file cut short, a stray line): skipped. */
    unreadableLines: number;
  };
  /** Calls per outcome, in the report's order: answered, voicemail, no-answer, busy, failed, balance-low, others. */
  outcomes: OutcomeCount[];
  cost: CostFigures;
  talkTime: TalkTime;
  timeline: Timeline;
  extractedData: ExtractedDataSummary;
}

export interface ReportedCampaign {
  workflowId: string;
  agentId?: string;
  batchIds: string[];
  /** Bolna's last batch status (`completed`, `executed`, `stopped`, ...). */
  batchStatus?: string;
  /** Rows of the contact list(s) uploaded. */
  rows?: number;
  /** Rows Bolna listed no execution for: their outcome is unknown. */
  missingRows: number;
  /** Rows Bolna dropped at upload: never called. */
  droppedRows: number;
  /** The earliest `created_at` and the latest `updated_at` of the calls (ISO 8601, UTC). */
  firstCallAt?: string;
  lastCallAt?: string;
  /** What an operator was warned about, and what the report itself noticed (balance-low, rows missing, ...). */
  warnings: string[];
}

export interface OutcomeCount {
  /** `answered` and `voicemail` split Bolna's `completed`; every other outcome is Bolna's call status. */
  outcome: string;
  calls: number;
  /** Of all calls, 0 to 1. */
  share: number;
}

export interface CostFigures {
  /** Bolna reports cost in cents. */
  totalCents: number;
  /** null when no call was answered. */
  perAnsweredCallCents: number | null;
  /** Calls whose execution carried no `total_cost` (counted as 0 in the total). */
  callsWithoutCost: number;
}

export interface TalkTime {
  /** Answered calls (a person picked up; voicemail excluded). */
  answeredCalls: number;
  /** Answered calls without a conversation duration: left out of the figures below. */
  withoutDuration: number;
  totalSeconds: number;
  meanSeconds: number | null;
  /** To the histogram's resolution (the second, unless calls span more than ~an hour of distinct lengths). */
  medianSeconds: number | null;
  minSeconds: number | null;
  maxSeconds: number | null;
  /** `[fromSeconds, toSeconds)` bins, every bin from the first to the last, empty ones too. */
  bins: { fromSeconds: number; toSeconds: number; calls: number }[];
}

export interface Timeline {
  /** Width of each bucket, chosen from the campaign's length (10 s up to days), at most ~48 buckets. */
  bucketSeconds: number;
  /**
   * Every bucket from the first call to the last. `placed`: calls Bolna dialled (they have telephony data), by
   * their `created_at`; `ended`: calls per outcome that reached a final status, by their `updated_at`.
   */
  buckets: { start: string; end: string; placed: number; ended: Record<string, number> }[];
  /** Calls without a usable `created_at` (for placed) or `updated_at` (for ended): not in the buckets. */
  callsWithoutTimes: number;
}

export interface ExtractedDataSummary {
  /** Calls with an `extracted_data` object. */
  calls: number;
  /** Calls whose `extracted_data` was something else (text, a list): counted only. */
  unstructured: number;
  fields: ExtractedField[];
  /** Fields beyond the report's limit, counted but not summarised. */
  fieldsNotSummarised: number;
}

/** One field of `extracted_data` (nested objects as `parent.child`), over every call that had it. */
export interface ExtractedField {
  field: string;
  /** Calls where the field had a value (not null, not empty). */
  calls: number;
  /** Calls where it was null or an empty string. */
  empty: number;
  booleans?: { true: number; false: number };
  numbers?: { count: number; min: number; max: number; mean: number };
  strings?: ExtractedStrings;
  /**
   * Values shaped like a phone number, email address or URL, and integers of 10 digits or more: counted only, in
   * none of the figures above.
   */
  identifierLike?: number;
  /** Lists and objects nested too deep: counted only. */
  other?: number;
}

export interface ExtractedStrings {
  /** Text values (identifier-like ones excepted). */
  count: number;
  /**
   * The most frequent short values (up to 40 characters), each seen in at least 3 calls. Rarer values and long texts
   * are only counted: they may identify someone.
   */
  values: { value: string; count: number }[];
  /** Short values not listed (rare ones, or beyond the list's length). */
  otherValues: number;
  /** Values longer than the short-value limit (free text): counted only. */
  long: number;
  /** The field had so many distinct values that later new ones were no longer told apart. */
  valuesTruncated?: boolean;
}
