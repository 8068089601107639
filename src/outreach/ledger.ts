import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { ownerOnly } from '../platform/file-modes';
import { contactStates } from '../workflows/outreach-definitions';
import type { ContactCounts, ContactState } from '../workflows/outreach-definitions';

/**
 * The contact ledger: one line of JSON per contact of an outreach campaign, in CSV order, with where the contact is
 * and every call made to it. It lives in the results store, never in the workflow's history (a million contacts
 * would not fit): each step that changes it reads one version and writes the next under a name of its own, so a
 * retried step writes the same file again and the workflow only ever holds the current version's location.
 */
export interface LedgerContact {
  /** The contact's data row in the CSV (1 is the first row after the header). */
  row: number;
  /** E.164, as dialled. */
  number: string;
  /** The contact's time zones (several when its number's area spans more than one); empty without a window. */
  zones: string[];
  /** The CSV's other columns, the agent's `{variables}`, in the clean CSV's column order. */
  variables: string[];
  state: ContactState;
  /** In a wave: which; waiting for a retry: not before when (ms). */
  wave?: number;
  notBeforeMs?: number;
  attempts: Attempt[];
  /** What the last call extracted (Bolna's `extracted_data`), for the goal and the results. */
  extracted?: unknown;
}

/** One call Bolna placed for the contact (with its own retries inside the batch, `calls` > 1). */
export interface Attempt {
  wave: number;
  batchId: string;
  /** Bolna's final status, `voicemail` for a completed call a machine answered. */
  status: string;
  /** When the call ended (its execution's last update), else when the wave was recorded. */
  atMs: number;
  costCents: number;
  calls: number;
  executionId: string;
  recordingUrl?: string;
}

function emptyContactCounts(): ContactCounts {
  return Object.fromEntries(contactStates.map((state) => [state, 0])) as ContactCounts;
}

/** The ledger at `source`, one contact at a time (streamed: memory does not grow with the campaign). */
export async function* readLedger(source: Readable): AsyncGenerator<LedgerContact> {
  for await (const line of readLines(source)) yield JSON.parse(line) as LedgerContact;
}

/** The non-blank lines of a JSON Lines file (a ledger, or a wave's executions). */
export async function* readLines(source: Readable): AsyncGenerator<string> {
  for await (const line of createInterface({ input: source, crlfDelay: Infinity })) {
    if (line.trim() !== '') yield line;
  }
}

/**
 * Writes a ledger version (or any file of lines) and counts its contacts by state as it goes. Written under a name
 * of its own and renamed on `close()`: an attempt presumed dead that is still writing cannot mix its lines into its
 * retry's file.
 */
export class LedgerWriter {
  readonly counts = emptyContactCounts();
  readonly #file: WriteStream;
  readonly #partial: string;

  constructor(readonly path: string) {
    this.#partial = `${path}.${randomUUID().slice(0, 8)}.partial`;
    this.#file = createWriteStream(this.#partial, { mode: ownerOnly, highWaterMark: 1024 * 1024 });
  }

  async add(contact: LedgerContact): Promise<void> {
    this.counts[contact.state] += 1;
    if (!this.#file.write(`${JSON.stringify(contact)}\n`)) await once(this.#file, 'drain');
  }

  async close(): Promise<void> {
    this.#file.end();
    await once(this.#file, 'finish');
    await rename(this.#partial, this.path);
  }
}
