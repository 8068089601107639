/**
 * Timestamps as Bolna (a Python service) writes them: `datetime.isoformat()` of an aware UTC time, so a `+00:00`
 * offset, never `Z`, and a six-digit fraction only when there is one (`2026-06-23T07:00:00+00:00`,
 * `2026-06-23T07:00:00.250000+00:00`). Clients must parse both.
 */
export function isoUtc(ms: number): string {
  const text = new Date(ms).toISOString();
  const millis = text.slice(20, 23);
  return `${text.slice(0, 19)}${millis === '000' ? '' : `.${millis}000`}+00:00`;
}

/** `humanized_created_at`: how long ago, in the words of a dashboard. */
export function humanizedAge(ageMs: number): string {
  const units: [name: string, ms: number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ];
  for (const [name, size] of units) {
    const count = Math.floor(ageMs / size);
    if (count >= 1) return `${count} ${name}${count === 1 ? '' : 's'} ago`;
  }
  return 'a few seconds ago';
}

/**
 * An HTTP-date (RFC 7231's IMF-fixdate, `Tue, 23 Jun 2026 12:00:40 GMT`), cut to the whole second as the format
 * is: what the `Date` header and a dated `Retry-After` carry.
 */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
