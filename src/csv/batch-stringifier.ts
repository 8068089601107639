import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

/** Text passed on at a time: fewer, larger writes and hash updates than one per batch. */
const chunkCharacters = 64 * 1024;

/** A comma, double quote or line break makes a value need quotes. */
const needsQuotes = /[",\r\n]/;

/**
 * One row as csv-stringify writes it with its default options (RFC 4180: a value with a comma, double quote or
 * line break is put in double quotes, its double quotes doubled; LF after the row). Written here rather than
 * calling csv-stringify because its general path (casts, formatters, options checked per value) was, at 0.8 µs a
 * row, the largest cost of validating after parsing itself; test/csv/batch-stringifier.test.ts holds the two
 * to the same output.
 */
function csvRow(fields: readonly string[]): string {
  let row = '';
  for (let index = 0; index < fields.length; index++) {
    const value = fields[index] ?? '';
    if (index > 0) row += ',';
    row += needsQuotes.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  }
  return `${row}\n`;
}

/** Batches of rows in, CSV text out, in chunks of about 64 KiB. */
export class BatchStringifier extends Transform {
  #pending = '';

  constructor() {
    super({ writableObjectMode: true });
  }

  override _transform(rows: string[][], _encoding: BufferEncoding, callback: TransformCallback): void {
    for (const row of rows) this.#pending += csvRow(row);
    if (this.#pending.length < chunkCharacters) return callback();
    const text = this.#pending;
    this.#pending = '';
    callback(null, text);
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.#pending === '' ? undefined : this.#pending);
  }
}
