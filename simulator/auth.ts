import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError, jsonReply } from './http-reply';

/** The answer to a missing or wrong key, given why. */
export type KeyRefusal = (reason: string) => HttpError;

/** Bolna's usual refusal: 403 `{"detail": ...}`, not a 401. */
const forbidden: KeyRefusal = (detail) => new HttpError(jsonReply(403, { detail }));

/** `GET /user/me` in Bolna's spec: 401 `{"error": 401, "message": "Access denied"}`, whatever the reason. */
export const accessDenied: KeyRefusal = () =>
  new HttpError(jsonReply(401, { error: 401, message: 'Access denied' }));

/**
 * Bolna's bearer authentication: `Authorization: Bearer <key>`, exactly (the documented form). A missing or
 * wrong key is refused (by default with Bolna's 403 `{"detail": ...}`, not a 401). Returns the organisation the key belongs to, which names its
 * rate-limit bucket (Bolna limits per organisation): with a configured key, the account's one organisation,
 * whichever key it currently has; otherwise each key is an organisation of its own, named by a digest so the key
 * itself is never kept anywhere. The key is never echoed.
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  expectedKey: string | undefined,
  refuse: KeyRefusal = forbidden,
): string {
  const header = headers.authorization;
  if (header === undefined || header === '') throw refuse('Not authenticated');
  const key = /^Bearer ([^\s]+)$/.exec(header)?.[1];
  if (key === undefined || (expectedKey !== undefined && !sameKey(key, expectedKey))) {
    throw refuse('Invalid authentication credentials');
  }
  return expectedKey === undefined ? digest(key) : 'the-account';
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function sameKey(given: string, expected: string): boolean {
  return timingSafeEqual(Buffer.from(digest(given), 'hex'), Buffer.from(digest(expected), 'hex'));
}
