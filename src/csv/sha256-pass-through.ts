import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

/** Passes bytes on unchanged while hashing them, so the clean file's hash costs no second read. */
export class Sha256PassThrough extends Transform {
  readonly #hash = createHash('sha256');

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    callback(null, chunk);
  }

  /** The hex digest of everything passed through; call once, after the stream has finished. */
  digest(): string {
    return this.#hash.digest('hex');
  }
}
