import { badRequest } from './http-reply';
import { parseScheduledAt } from './schedule-rules';

/** Query parameters of the listings, refused with Bolna's 400 when malformed. */

export function positiveInteger(text: string | null, name: string, fallback: number): number {
  if (text === null) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw badRequest(`${name} must be a whole number of at least 1`);
  return Number(text);
}

/** A query timestamp: ISO 8601 with a numeric offset or, in a URL, `Z`. */
export function timestamp(text: string | null, name: string): number | undefined {
  if (text === null) return undefined;
  const ms = parseScheduledAt(text.replace(/[zZ]$/, '+00:00'));
  if (ms === undefined) throw badRequest(`${name} must be an ISO 8601 timestamp`);
  return ms;
}

/** The page size both paginated listings allow at most. */
export const maxPageSize = 50;
