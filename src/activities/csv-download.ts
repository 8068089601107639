import type { LookupAddress } from 'node:dns';
import { lookup as systemLookup } from 'node:dns/promises';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApplicationFailure } from '@temporalio/common';
import { Agent, request } from 'undici';
import { displayUrl } from '../platform/display-url';
import { failureTypes } from '../platform/failures';
import { ownerOnly } from '../platform/file-modes';
import { runningActivitySignal } from './activity-cancellation';
import { bareHost, parseAllowedHosts, refusalOf } from './address-policy';
import type { HostAllowlist } from './address-policy';

/** Resolves a host name to its addresses, as `dns.promises.lookup(host, { all: true })` does. */
export type HostLookup = (hostname: string) => Promise<LookupAddress[]>;

export interface DownloadPolicy {
  /** BOLNA_CSV_ALLOWED_HOSTS: host names, addresses and CIDR ranges that may be private. */
  allowedHosts: readonly string[];
  /** The most bytes a CSV may have. */
  maxBytes: number;
  /** A deadline for the whole download, redirects and DNS included. */
  downloadTimeoutMs: number;
  /** Default: the system resolver. Tests inject answers so that no name is ever resolved for real. */
  lookup?: HostLookup;
}

const maxRedirects = 5;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * Downloads a CSV URL to `destination`, streamed to disk. Every hop (the URL and each redirect, at most 5, http
 * and https only) is resolved and checked against the address policy, and the connection is pinned to the
 * addresses that passed, so a DNS answer that changes between the check and the connect (DNS rebinding) cannot
 * reach anything else. The size is capped (Content-Length up front, bytes as they arrive) and the whole download
 * has a deadline; whatever fails, no partial file is left behind. Errors show the URL's origin and path only.
 */
export async function downloadCsv(csv: string, destination: string, policy: DownloadPolicy): Promise<void> {
  const shown = displayUrl(csv);
  let url: URL;
  try {
    url = new URL(csv);
  } catch {
    throw sourceError(`the CSV URL ${shown} is not a valid URL`, true);
  }
  const deadline = AbortSignal.timeout(policy.downloadTimeoutMs);
  const cancelled = runningActivitySignal();
  try {
    await downloadHops(
      url,
      destination,
      { ...policy, allowlist: parseAllowedHosts(policy.allowedHosts) },
      cancelled ? AbortSignal.any([deadline, cancelled]) : deadline,
    );
  } catch (error) {
    await rm(destination, { force: true });
    if (deadline.aborted && !(error instanceof ApplicationFailure)) {
      throw ApplicationFailure.create({
        type: failureTypes.CsvDownloadTimedOut,
        message: `downloading the CSV from ${shown} took longer than ${policy.downloadTimeoutMs / 1000} s (BOLNA_CSV_DOWNLOAD_TIMEOUT_SECONDS)`,
        nonRetryable: true,
      });
    }
    if (error instanceof CsvTooLargeError) throw tooLarge(shown, policy.maxBytes, 'more arrived');
    throw error;
  }
}

/** The policy with its allowlist parsed once for all hops. */
type HopPolicy = DownloadPolicy & { allowlist: HostAllowlist };

async function downloadHops(
  first: URL,
  destination: string,
  policy: HopPolicy,
  signal: AbortSignal,
): Promise<void> {
  let url = first;
  for (let redirects = 0; ; redirects += 1) {
    const addresses = await checkedAddresses(url, policy);
    signal.throwIfAborted();
    // One dispatcher per hop, whose connections can only go to the addresses just checked.
    const dispatcher = new Agent({
      connect: { lookup: pinnedLookup(addresses), timeout: 30_000 },
      headersTimeout: 30_000,
      bodyTimeout: 60_000,
    });
    try {
      const response = await request(url, { method: 'GET', dispatcher, signal }).catch((error: unknown) => {
        throw connectionFailure(error, url, signal);
      });
      const location = response.headers.location;
      if (redirectStatuses.has(response.statusCode) && location !== undefined) {
        await response.body.dump();
        if (redirects === maxRedirects) {
          const shown = displayUrl(first.href);
          throw sourceError(`the CSV URL ${shown} redirects more than ${maxRedirects} times`, true);
        }
        url = new URL(Array.isArray(location) ? String(location[0]) : location, url);
        continue;
      }
      if (response.statusCode !== 200) {
        await response.body.dump();
        const status = response.statusCode;
        const hopeless = status >= 400 && status < 500 && status !== 429;
        throw sourceError(
          `downloading the CSV from ${displayUrl(url.href)} answered HTTP ${status}`,
          hopeless,
        );
      }
      const announced = Number(response.headers['content-length']);
      if (Number.isFinite(announced) && announced > policy.maxBytes) {
        await response.body.dump(); // reads at most 128 KiB, and none of a body announced larger than that
        throw tooLarge(displayUrl(url.href), policy.maxBytes, `it announced ${announced} bytes`);
      }
      await pipeline(
        response.body,
        new ByteLimit(policy.maxBytes),
        createWriteStream(destination, { mode: ownerOnly }),
        { signal },
      );
      return;
    } finally {
      await dispatcher.destroy();
    }
  }
}

/**
 * The addresses `url` may be fetched from: an IP literal as it is, a name as resolved; each one checked, so a
 * name with one private address among public ones is refused as a whole.
 */
async function checkedAddresses(url: URL, policy: HopPolicy): Promise<LookupAddress[]> {
  const shown = displayUrl(url.href);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refused(`the CSV URL leads to ${shown}: only http and https are fetched`);
  }
  const host = bareHost(url.hostname);
  const family = isIP(host);
  const addresses = family
    ? [{ address: host, family }]
    : await (policy.lookup ?? systemResolve)(host).catch((error: unknown) => {
        const code = (error as { code?: unknown }).code;
        throw sourceError(
          `cannot download the CSV from ${shown}: ${typeof code === 'string' ? code : 'no address for the host'}`,
          // No such host will not appear in a few seconds; a resolver that timed out may answer next time.
          code === 'ENOTFOUND',
        );
      });
  if (addresses.length === 0) throw sourceError(`cannot download the CSV from ${shown}: no address`, false);
  const namedHostAllowed = !family && policy.allowlist.names.has(host);
  for (const { address } of addresses) {
    const why = refusalOf(address, policy.allowlist, namedHostAllowed);
    if (why !== undefined) {
      const via = family ? '' : `, and ${host} resolves to ${address}`;
      throw refused(`the CSV URL leads to ${shown}${via}, ${why}`);
    }
  }
  return addresses;
}

const systemResolve: HostLookup = (hostname) => systemLookup(hostname, { all: true, verbatim: true });

/** A `lookup` for the socket that answers with the checked addresses and asks no resolver again. */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const [first] = addresses;
    if (options.all) callback(null, addresses);
    else if (first) callback(null, first.address, first.family);
  };
}

class CsvTooLargeError extends Error {}

/** Passes bytes through and fails once more than `maxBytes` have passed: a body without Content-Length is capped too. */
class ByteLimit extends Transform {
  #seen = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.maxBytes) callback(new CsvTooLargeError());
    else callback(null, chunk);
  }
}

function connectionFailure(error: unknown, url: URL, signal: AbortSignal): unknown {
  if (signal.aborted) return error; // the deadline: reported as such by the caller
  const code = (error as { code?: unknown }).code;
  // Nothing listening will not change in a few seconds; timeouts and resets might.
  return sourceError(
    `cannot download the CSV from ${displayUrl(url.href)}: ${typeof code === 'string' ? code : 'connection failed'}`,
    code === 'ECONNREFUSED',
  );
}

function tooLarge(shown: string, maxBytes: number, why: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: failureTypes.CsvTooLarge,
    message: `the CSV at ${shown} is larger than the ${maxBytes} bytes allowed (BOLNA_CSV_MAX_BYTES): ${why}`,
    nonRetryable: true,
  });
}

function refused(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: failureTypes.CsvSourceRefused, message, nonRetryable: true });
}

function sourceError(message: string, nonRetryable: boolean): ApplicationFailure {
  return ApplicationFailure.create({ type: failureTypes.CsvSourceError, message, nonRetryable });
}
