import { createWriteStream } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { ApplicationFailure } from '@temporalio/common';
import { Agent, interceptors, request } from 'undici';
import { ownerOnly } from '../file-modes';

const isUrl = (csv: string) => /^https?:\/\//i.test(csv);

/**
 * Makes the campaign's CSV available as a local file: a path is used where it is (it must be readable on the
 * worker's host), a URL is downloaded to `downloadPath`, streamed to disk rather than held in memory.
 * Returns the local path.
 */
export async function fetchCsvSource(csv: string, downloadPath: string): Promise<string> {
  if (!isUrl(csv)) {
    try {
      await access(csv, constants.R_OK);
    } catch {
      throw ApplicationFailure.create({
        type: 'CsvSourceError',
        message: `CSV file '${csv}' cannot be read on the worker's host (the worker reads local paths itself)`,
        nonRetryable: true,
      });
    }
    return csv;
  }
  const url = new URL(csv);
  const shown = `${url.origin}${url.pathname}`; // a signed URL's query string is a credential: never show it
  const dispatcher = new Agent({ headersTimeout: 30_000, bodyTimeout: 60_000 }).compose(
    interceptors.redirect({ maxRedirections: 5 }),
  );
  const response = await request(url, { method: 'GET', dispatcher });
  if (response.statusCode !== 200) {
    await response.body.dump();
    throw ApplicationFailure.create({
      type: 'CsvSourceError',
      message: `downloading the CSV from ${shown} answered HTTP ${response.statusCode}`,
      nonRetryable: response.statusCode >= 400 && response.statusCode < 500 && response.statusCode !== 429,
    });
  }
  await pipeline(response.body, createWriteStream(downloadPath, { mode: ownerOnly }));
  return downloadPath;
}
