import { failureTypes } from '../platform/failures';

/**
 * One class per way a Bolna call can fail. Each has a fixed `name` so that activities can turn it into an
 * ApplicationFailure `type` and workflows can list the non-retryable ones by name.
 * Messages say the method, path, status and Bolna's own message, and never the API key.
 */

export interface BolnaErrorDetails {
  method: string;
  path: string;
  status?: number;
  /** Bolna's own explanation, taken from `message`, `error` or `detail` in the response body. */
  bolnaMessage?: string | undefined;
  cause?: unknown;
}

export abstract class BolnaError extends Error {
  abstract override readonly name: string;
  /** Whether trying the same request again may succeed. */
  abstract readonly retryable: boolean;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly bolnaMessage: string | undefined;

  constructor(summary: string, details: BolnaErrorDetails) {
    const where = `${details.method} ${details.path}`;
    const status = details.status === undefined ? '' : ` → ${details.status}`;
    const said = details.bolnaMessage ? `: ${details.bolnaMessage}` : '';
    super(`${summary} (${where}${status})${said}`, { cause: details.cause });
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.bolnaMessage = details.bolnaMessage;
  }
}

/** 400 or 422: the request itself is wrong (bad agent id, bad CSV, a start less than the lead ahead). */
export class BolnaBadRequestError extends BolnaError {
  override readonly name = failureTypes.BolnaBadRequestError;
  readonly retryable = false;
  constructor(details: BolnaErrorDetails) {
    super('Bolna rejected the request', details);
  }
}

/** 401 or 403: the API key is missing, wrong or revoked. Bolna answers 403 `{"detail": ...}`. */
export class BolnaAuthError extends BolnaError {
  override readonly name = failureTypes.BolnaAuthError;
  readonly retryable = false;
  constructor(details: BolnaErrorDetails) {
    super('Bolna refused the API key', details);
  }
}

/** 404: no such batch (or, for stop, nothing left to stop). */
export class BolnaNotFoundError extends BolnaError {
  override readonly name = failureTypes.BolnaNotFoundError;
  readonly retryable = false;
  constructor(details: BolnaErrorDetails) {
    super('Bolna found no such resource', details);
  }
}

/** 429: over Bolna's per-organisation rate limit. `retryAfterMs` comes from `Retry-After` when Bolna sends it. */
export class BolnaRateLimitedError extends BolnaError {
  override readonly name = failureTypes.BolnaRateLimitedError;
  readonly retryable = true;
  readonly retryAfterMs: number | undefined;
  constructor(details: BolnaErrorDetails & { retryAfterMs?: number }) {
    super('Bolna rate limit exceeded', details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** 5xx: Bolna failed. Note that a `scheduled_at` ending in `Z` also earns a 500; the client never sends one. */
export class BolnaServerError extends BolnaError {
  override readonly name = failureTypes.BolnaServerError;
  readonly retryable = true;
  constructor(details: BolnaErrorDetails) {
    super('Bolna server error', details);
  }
}

/** No usable response: refused or reset connection, DNS failure, or a timeout. */
export class BolnaConnectionError extends BolnaError {
  override readonly name = failureTypes.BolnaConnectionError;
  readonly retryable = true;
  constructor(details: BolnaErrorDetails) {
    super('Could not reach Bolna', details);
  }
}

/** A response that is not what the API documents (not JSON, or missing a field we need). */
export class BolnaProtocolError extends BolnaError {
  override readonly name = failureTypes.BolnaProtocolError;
  readonly retryable = false;
  constructor(details: BolnaErrorDetails) {
    super('Bolna sent an unexpected response', details);
  }
}

/**
 * The one place an HTTP status Bolna answered with becomes a kind of failure. 401 and 403 are a refused key (Bolna
 * answers 403 `{detail}`, and 401 on `/user/me`); a 429's `Retry-After`, when Bolna sends one, becomes the wait.
 */
export function bolnaErrorForStatus(
  details: BolnaErrorDetails & { status: number },
  retryAfterMs?: number,
): BolnaError {
  const { status } = details;
  if (status === 401 || status === 403) return new BolnaAuthError(details);
  if (status === 404) return new BolnaNotFoundError(details);
  if (status === 429) {
    return new BolnaRateLimitedError({ ...details, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }
  if (status >= 500) return new BolnaServerError(details);
  return new BolnaBadRequestError(details);
}
