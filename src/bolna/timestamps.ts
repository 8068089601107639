/**
 * Bolna parses `scheduled_at` with a numeric UTC offset and answers a `Z` suffix with a 500, so every timestamp
 * we send is rendered as `YYYY-MM-DDTHH:MM:SS+00:00`. Milliseconds are rounded *up* to the next whole second so
 * the rendered instant is never earlier than the one asked for (the 2-minute lead is measured from it).
 */
export function toBolnaTimestamp(input: Date | string): string {
  const date = typeof input === 'string' ? parseIsoWithOffset(input) : input;
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid date: ${String(input)}`);
  const wholeSeconds = Math.ceil(ms / 1000) * 1000;
  return new Date(wholeSeconds).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

const isoWithZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([zZ]|[+-]\d{2}:?\d{2})$/;

/** Parses an ISO 8601 date-time that states its zone (`Z` or an offset); a zoneless one is ambiguous. */
export function parseIsoWithOffset(text: string): Date {
  if (!isoWithZone.test(text.trim())) {
    throw new RangeError(
      `'${text}' is not an ISO 8601 date-time with a zone, e.g. 2026-06-23T12:30:00+05:30`,
    );
  }
  return new Date(text.trim());
}

/**
 * Reads a timestamp Bolna sent back. Bolna writes numeric offsets; one without any zone is taken as UTC, which is
 * what Bolna's servers use. Returns undefined for anything unreadable.
 */
export function parseBolnaTimestamp(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const trimmed = text.trim();
  const hasZone = /([zZ]|[+-]\d{2}:?\d{2})$/.test(trimmed);
  const ms = Date.parse(hasZone ? trimmed : `${trimmed}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}
