import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { maxRowCharacters } from './limits';

const noBytes = new Uint8Array(0);

/**
 * The bytes at the end of `bytes` that start a multi-byte UTF-8 character without finishing it (at most 3).
 * Only meaningful for bytes a fatal decoder has just accepted, i.e. that are valid so far.
 */
function unfinishedCharacter(bytes: Uint8Array): Uint8Array {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back] ?? 0;
    const isContinuation = (byte & 0xc0) === 0x80;
    if (isContinuation) continue;
    const characterLength = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return characterLength > back ? bytes.subarray(bytes.length - back) : noBytes;
  }
  return noBytes;
}

function decodes(bytes: Uint8Array, ignoreBOM: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * How many leading bytes of `bytes` are valid UTF-8 (an unfinished character at the end counts as valid).
 * Validity of a prefix only ever goes from true to false as it grows, so a binary search finds the first bad byte
 * with the platform's own decoder rather than a hand-written one. Only runs once, on the failure path.
 */
function validPrefixLength(bytes: Uint8Array, ignoreBOM: boolean): number {
  let valid = 0;
  let invalid = bytes.length;
  while (invalid - valid > 1) {
    const middle = Math.floor((valid + invalid) / 2);
    if (decodes(bytes.subarray(0, middle), ignoreBOM)) valid = middle;
    else invalid = middle;
  }
  return valid;
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}

/**
 * Bytes in, text out, one chunk at a time: checks the file is UTF-8, drops a byte-order mark, and turns CRLF and
 * lone CR line breaks into LF, so the CSV parser (and its line count) sees one kind of line break whichever
 * program saved the file, and a value never keeps a stray CR from a file whose line endings are mixed.
 *
 * It passes on whole lines only (holding back the unfinished last line of each chunk), so that at the first byte
 * that is not UTF-8 it can record the line in `invalidUtf8Line`, pass on every line before that one (their rows
 * are still checked) and end its output there, without the parser ever seeing half a row. The rest of the file is
 * read and ignored. Ending early, rather than failing the stream, keeps which problems get reported independent
 * of how far the parser had got when the bad byte was found.
 */
export class Utf8TextStream extends Transform {
  /** The physical line of the first byte sequence that is not UTF-8, if any. */
  invalidUtf8Line: number | undefined;

  // `fatal` makes bad bytes throw instead of becoming U+FFFD; by default a leading BOM is consumed, not returned.
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  /** An unfinished character at the end of the bytes so far, which the decoder is holding back. */
  #unfinished: Uint8Array = noBytes;
  #bytesSeen = 0;
  /** A CR at the end of the last chunk: whether it is CRLF or a lone CR depends on the next chunk. */
  #pendingCarriageReturn = false;
  /** Text after the last line break passed on. */
  #unfinishedLine = '';
  #lineBreaksPassedOn = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.invalidUtf8Line !== undefined) {
      callback();
      return;
    }
    let text: string;
    try {
      text = this.#decoder.decode(chunk, { stream: true });
    } catch {
      this.#stopAtInvalidByte(chunk);
      callback();
      return;
    }
    this.#unfinished = unfinishedCharacter(
      chunk.length >= 3 ? chunk : Buffer.concat([this.#unfinished, chunk]),
    );
    this.#bytesSeen += chunk.length;
    this.#passOnWholeLines(this.#withLfLineBreaks(text, false));
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.invalidUtf8Line === undefined) {
      this.#passOnWholeLines(this.#withLfLineBreaks('', true));
      try {
        this.#decoder.decode();
        this.#passOn(this.#unfinishedLine); // the last line, when the file does not end with a line break
      } catch {
        // The file ends in the middle of a multi-byte character, on the line not yet passed on.
        this.invalidUtf8Line = this.#lineBreaksPassedOn + 1;
      }
    }
    callback();
  }

  #stopAtInvalidByte(chunk: Buffer): void {
    const bytes = Buffer.concat([this.#unfinished, chunk]);
    // A fresh decoder must not swallow a U+FEFF in mid-file as if it were a BOM.
    const ignoreBOM = this.#bytesSeen > 0;
    const validBytes = bytes.subarray(0, validPrefixLength(bytes, ignoreBOM));
    const validText = new TextDecoder('utf-8', { ignoreBOM }).decode(validBytes, { stream: true });
    this.#passOnWholeLines(this.#withLfLineBreaks(validText, true));
    this.invalidUtf8Line = this.#lineBreaksPassedOn + 1;
    this.push(null);
  }

  #withLfLineBreaks(text: string, atEnd: boolean): string {
    let joined = text;
    if (this.#pendingCarriageReturn) {
      joined = `\r${joined}`;
      this.#pendingCarriageReturn = false;
    }
    if (!atEnd && joined.endsWith('\r')) {
      this.#pendingCarriageReturn = true;
      joined = joined.slice(0, -1);
    }
    return joined.includes('\r') ? joined.replace(/\r\n?/g, '\n') : joined;
  }

  #passOnWholeLines(text: string): void {
    const joined = this.#unfinishedLine + text;
    const end = joined.lastIndexOf('\n') + 1;
    if (end === 0 && joined.length <= maxRowCharacters) {
      this.#unfinishedLine = joined;
      return;
    }
    // A line longer than any row may be is passed on anyway: the parser rejects it, and memory stays bounded.
    const wholeLinesEnd = end === 0 ? joined.length : end;
    this.#passOn(joined.slice(0, wholeLinesEnd));
    this.#unfinishedLine = joined.slice(wholeLinesEnd);
  }

  #passOn(text: string): void {
    if (text.length === 0) return;
    this.#lineBreaksPassedOn += countLineBreaks(text);
    this.push(text);
  }
}
