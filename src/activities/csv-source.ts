import { createWriteStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
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
    const problem = await unreadableBecause(csv);
    if (problem) {
      throw ApplicationFailure.create({
        type: 'CsvSourceError',
        message: `CSV file '${csv}' ${problem} on the worker's host (the worker reads local paths itself)`,
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
  const response = await request(url, { method: 'GET', dispatcher }).catch((error: unknown) => {
    const code = (error as { code?: unknown }).code;
    // No such host, or nothing listening: a retry a few seconds later will not change that. Timeouts might.
    const hopeless = code === 'ENOTFOUND' || code === 'ECONNREFUSED';
    throw ApplicationFailure.create({
      type: 'CsvSourceError',
      message: `cannot download the CSV from ${shown}: ${typeof code === 'string' ? code : 'connection failed'}`,
      nonRetryable: hopeless,
    });
  });
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

/** Why a local CSV cannot be used, in words for the error message; undefined when it can. */
async function unreadableBecause(path: string): Promise<string | undefined> {
  try {
    if (!(await stat(path)).isFile()) return 'is not a file';
    await access(path, constants.R_OK);
    return undefined;
  } catch (error) {
    return (error as { code?: unknown }).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
  }
}
