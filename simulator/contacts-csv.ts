import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { HttpError, badRequest } from './http-reply';

export interface ContactsCsv {
  /** The header row, exactly as uploaded (a UTF-8 byte-order mark removed). */
  columns: string[];
  /** Every data row's values, in column order. */
  rows: string[][];
}

/**
 * Reads an uploaded contact list as it streams in, as strictly as Bolna documents it: UTF-8, a header row with a
 * `contact_number` column (names are not trimmed or case-folded), the same number of fields on every row, at
 * least one contact. Blank lines are skipped, as pandas does. Any deviation is a 400 naming the line.
 */
export async function readContactsCsv(source: Readable): Promise<ContactsCsv> {
  const decoder = strictUtf8Decoder();
  const parser = parse({ skip_empty_lines: true });
  decoder.on('error', (error) => parser.destroy(error));
  source.pipe(decoder).pipe(parser);
  const csv: ContactsCsv = { columns: [], rows: [] };
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (csv.columns.length === 0) {
        checkHeader(record);
        csv.columns = record;
      } else {
        csv.rows.push(record);
      }
    }
  } catch (error) {
    // Stop parsing, but let the upload finish (multipart drains the rest) so the client hears the 400.
    source.unpipe(decoder);
    decoder.unpipe(parser);
    if (error instanceof HttpError) throw error;
    throw badRequest(`Invalid CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (csv.columns.length === 0) throw badRequest('Invalid CSV: the file is empty');
  if (csv.rows.length === 0) throw badRequest('Invalid CSV: the file has a header but no contacts');
  return csv;
}

function checkHeader(columns: string[]): void {
  if (!columns.includes('contact_number')) {
    throw badRequest(
      `Invalid CSV: the header must have a contact_number column (found: ${columns.join(', ')})`,
    );
  }
  const duplicate = columns.find((column, index) => columns.indexOf(column) !== index);
  if (duplicate !== undefined)
    throw badRequest(`Invalid CSV: the column ${duplicate} appears twice in the header`);
}

/** Bytes to text, failing on any byte sequence that is not UTF-8 instead of replacing it with U+FFFD. */
function strictUtf8Decoder(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        done(null, decoder.decode(chunk, { stream: true }));
      } catch {
        done(new Error('the file is not valid UTF-8'));
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch {
        done(new Error('the file is not valid UTF-8 (it ends inside a character)'));
      }
    },
  });
}
