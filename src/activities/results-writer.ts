import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify';
import type { Stringifier } from 'csv-stringify';
import { conversationSeconds, retriesOf } from '../bolna/schemas';
import type { Execution } from '../bolna/schemas';
import { callOutcome } from '../bolna/statuses';
import { ownerOnly, ownerOnlyDirectory } from '../platform/file-modes';
import type { ResultsSummary } from '../workflows/definitions';

/** Columns of the results CSV, before the campaign's own variables (`var:<column>`). */
const fixedColumns = [
  'execution_id',
  'contact_number',
  'status',
  'retry_count',
  'answered_by_voice_mail',
  'conversation_duration_seconds',
  'total_cost_cents',
  'error_message',
  'hangup_reason',
  'from_number',
  'recording_url',
  'created_at',
  'updated_at',
  'retry_history',
  'extracted_data',
  'transcript',
] as const;

const writeBufferBytes = 1024 * 1024;

/** What the writer counts as it goes: the summary's figures, without the batch and file names. */
export type ResultsTotals = Pick<
  ResultsSummary,
  | 'totalCalls'
  | 'counts'
  | 'answered'
  | 'voicemail'
  | 'balanceLow'
  | 'totalDurationSeconds'
  | 'totalCostCents'
>;

/**
 * A value a spreadsheet would run as a formula (starts with = + - @ tab or CR) gets a leading apostrophe, per
 * OWASP's CSV-injection advice. Phone numbers (`+91…`) and plain numbers are data, not formulas, and stay as is.
 */
export function escapeSpreadsheetFormula(value: string): string {
  if (!/^[=+\-@\t\r]/.test(value)) return value;
  if (/^\+\d{1,15}$/.test(value) || /^-?\d+(\.\d+)?$/.test(value)) return value;
  return `'${value}`;
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return escapeSpreadsheetFormula(text);
}

async function write(stream: WriteStream | Stringifier, chunk: string | string[]): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/** Resolves when the file stream has closed, whatever errors it emits on the way. */
function closed(file: WriteStream): Promise<void> {
  if (file.closed) return Promise.resolve();
  return new Promise((resolve) => file.once('close', () => resolve()));
}

async function finish(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

/**
 * Streams executions to `executions.jsonl` and `executions.csv` in `directory`, one at a time, and keeps the
 * running totals. Files are written under temporary names and renamed on `close()`, so a retry after a crash
 * simply writes them again and readers never see half a file.
 */
export class ResultsWriter {
  readonly jsonlPath: string;
  readonly csvPath: string;
  readonly totals: ResultsTotals = {
    totalCalls: 0,
    counts: {},
    answered: 0,
    voicemail: 0,
    balanceLow: 0,
    totalDurationSeconds: 0,
    totalCostCents: 0,
  };
  readonly #jsonl: WriteStream;
  readonly #csvFile: WriteStream;
  readonly #csv: Stringifier;
  readonly #variableColumns: readonly string[];
  readonly #jsonlPartial: string;
  readonly #csvPartial: string;

  private constructor(directory: string, variableColumns: readonly string[]) {
    this.jsonlPath = join(directory, 'executions.jsonl');
    this.csvPath = join(directory, 'executions.csv');
    this.#variableColumns = variableColumns;
    // Transcripts make rows several KB; big buffers keep the per-row cost off the disk's round trips.
    // Unique temporary names: an attempt presumed dead (its heartbeat lost) may still be writing beside its retry.
    const attempt = randomUUID().slice(0, 8);
    this.#jsonlPartial = `${this.jsonlPath}.${attempt}.partial`;
    this.#csvPartial = `${this.csvPath}.${attempt}.partial`;
    const options = { highWaterMark: writeBufferBytes, mode: ownerOnly };
    this.#jsonl = createWriteStream(this.#jsonlPartial, options);
    this.#csvFile = createWriteStream(this.#csvPartial, options);
    this.#csv = stringify({
      header: true,
      columns: [...fixedColumns, ...variableColumns.map((c) => `var:${c}`)],
    });
    this.#csv.pipe(this.#csvFile);
  }

  /**
   * Opens a writer in `directory`, first removing partial files that attempts killed mid-write left behind: they
   * hold personal data and nobody else will ever clean them up. (An attempt only presumed dead loses its file and
   * fails at its rename, which is right: its retry is the one that counts.)
   */
  static async open(directory: string, variableColumns: readonly string[]): Promise<ResultsWriter> {
    await mkdir(directory, { recursive: true, mode: ownerOnlyDirectory });
    const leftovers = (await readdir(directory)).filter((name) =>
      /^executions\.(jsonl|csv)\.[^.]+\.partial$/.test(name),
    );
    await Promise.all(leftovers.map((name) => rm(join(directory, name), { force: true })));
    return new ResultsWriter(directory, variableColumns);
  }

  async add(execution: Execution): Promise<void> {
    const totals = this.totals;
    totals.totalCalls += 1;
    totals.counts[execution.status] = (totals.counts[execution.status] ?? 0) + 1;
    const outcome = callOutcome(execution);
    if (outcome === 'answered') totals.answered += 1;
    if (outcome === 'voicemail') totals.voicemail += 1;
    if (execution.status === 'balance-low') totals.balanceLow += 1;
    totals.totalDurationSeconds += conversationSeconds(execution) ?? 0;
    totals.totalCostCents += execution.total_cost ?? 0;

    await write(this.#jsonl, `${JSON.stringify(execution)}\n`);
    const recipient = execution.context_details?.recipient_data ?? {};
    const telephony = execution.telephony_data;
    await write(this.#csv, [
      cell(execution.id),
      cell(telephony?.to_number ?? recipient.contact_number),
      cell(execution.status),
      cell(retriesOf(execution)),
      cell(execution.answered_by_voice_mail),
      cell(conversationSeconds(execution)),
      cell(execution.total_cost),
      cell(execution.error_message),
      cell(telephony?.hangup_reason),
      cell(telephony?.from_number),
      cell(telephony?.recording_url),
      cell(execution.created_at),
      cell(execution.updated_at),
      cell(execution.retry_history),
      cell(execution.extracted_data),
      cell(execution.transcript),
      ...this.#variableColumns.map((column) => cell(recipient[column])),
    ]);
  }

  /** Flushes both files and moves them into place. */
  async close(): Promise<void> {
    await finish(this.#jsonl);
    this.#csv.end();
    await once(this.#csvFile, 'finish');
    await rename(this.#jsonlPartial, this.jsonlPath);
    await rename(this.#csvPartial, this.csvPath);
  }

  /** Abandons the partial files (the activity failed and will be retried). */
  async discard(): Promise<void> {
    for (const stream of [this.#jsonl, this.#csv, this.#csvFile]) {
      // Writes still queued fail once their stream is destroyed (before its file has even opened, maybe): nobody
      // waits for them any more, and an 'error' nobody listens to would crash the worker.
      stream.on('error', () => {});
      stream.destroy();
    }
    // A file stream destroyed while its file is still opening creates the file anyway, then closes it: removed any
    // sooner, a partial file could appear after its removal (seen in a loaded CI run). Only 'close' is awaited:
    // a write the destroy cut short emits an 'error' first (ERR_STREAM_DESTROYED), which `once` would reject with,
    // and the activity would report that instead of the failure that made it discard.
    await Promise.all([this.#jsonl, this.#csvFile].map(closed));
    await rm(this.#jsonlPartial, { force: true });
    await rm(this.#csvPartial, { force: true });
  }
}
