import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { stringify } from 'csv-stringify/sync';

/** Text passed on at a time: fewer, larger writes and hash updates than one per batch. */
const chunkCharacters = 64 * 1024;

/** Batches of rows in, CSV text out (csv-stringify's defaults), in chunks of about 64 KiB. */
export class BatchStringifier extends Transform {
  #pending = '';

  constructor() {
    super({ writableObjectMode: true });
  }

  override _transform(rows: string[][], _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#pending += stringify(rows);
    if (this.#pending.length < chunkCharacters) return callback();
    const text = this.#pending;
    this.#pending = '';
    callback(null, text);
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.#pending === '' ? undefined : this.#pending);
  }
}
