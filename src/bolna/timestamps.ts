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

const isoWithZone =
  /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})T(?<hour>\d{2}):(?<minute>\d{2})(?::(?<second>\d{2})(?:\.\d+)?)?(?:[zZ]|[+-](?<offsetHours>\d{2}):?(?<offsetMinutes>\d{2}))$/;

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * Parses an ISO 8601 date-time that states its zone (`Z` or an offset); a zoneless one is ambiguous. A date that
 * does not exist is refused, naming the field, instead of being moved the way `Date` would (February 30 → March 2).
 */
export function parseIsoWithOffset(text: string): Date {
  const trimmed = text.trim();
  const fields = isoWithZone.exec(trimmed)?.groups;
  if (!fields) {
    throw new RangeError(
      `'${text}' is not an ISO 8601 date-time with a zone, e.g. 2026-06-23T12:30:00+05:30`,
    );
  }
  const number = (name: string) => Number(fields[name] ?? 0);
  const problem = impossibleField({
    year: number('year'),
    month: number('month'),
    day: number('day'),
    hour: number('hour'),
    minute: number('minute'),
    second: number('second'),
    offsetHours: number('offsetHours'),
    offsetMinutes: number('offsetMinutes'),
  });
  if (problem) throw new RangeError(`'${text}': ${problem}`);
  return new Date(trimmed);
}

/** Which field of a date-time does not exist, in words; undefined when the date-time is real. */
function impossibleField(
  at: Record<
    'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'offsetHours' | 'offsetMinutes',
    number
  >,
): string | undefined {
  if (at.month < 1 || at.month > 12) return `month ${at.month} does not exist`;
  const daysInMonth = new Date(Date.UTC(at.year, at.month, 0)).getUTCDate();
  if (at.day < 1 || at.day > daysInMonth)
    return `${monthNames[at.month - 1]} ${at.year} has no day ${at.day}`;
  if (at.hour > 23) return `hour ${at.hour} does not exist`;
  if (at.minute > 59) return `minute ${at.minute} does not exist`;
  if (at.second > 59) return `second ${at.second} does not exist`;
  if (at.offsetHours > 23 || at.offsetMinutes > 59) return 'the offset is not a real UTC offset';
  return undefined;
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
