import type { SimulatorSettings } from './settings';

/**
 * What Bolna does with a `scheduled_at`: a rejection (its status and message) or the rounded start.
 * A 500 is Bolna's real answer to a timestamp ending in `Z`: its parser fails instead of rejecting it cleanly.
 */
export type ScheduleDecision =
  { ok: true; requestedMs: number; startsAtMs: number } | { ok: false; status: 400 | 500; message: string };

/**
 * ISO 8601 in the extended form with a numeric offset, as documented (`2026-06-23T07:00:00+00:00`): a `T`
 * between date and time, seconds and up to six fraction digits optional, and an `±HH:MM` offset.
 */
const isoWithOffset =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?([+-])(\d{2}):(\d{2})$/;

/** The instant a `scheduled_at` names, or undefined when it is not a valid timestamp with a numeric offset. */
export function parseScheduledAt(text: string): number | undefined {
  const match = isoWithOffset.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [1, 2, 3, 4, 5, 6, 9, 10].map(
    (group) => Number(match[group] ?? 0),
  ) as [number, number, number, number, number, number, number, number];
  // Milliseconds are the clock's resolution: further fraction digits are dropped, not rounded.
  const fractionMs = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const localMs = Date.UTC(year, month - 1, day, hour, minute, second, fractionMs);
  // Date.UTC rolls 31 February over into March; a real calendar date survives the round trip.
  const date = new Date(localMs);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  const sign = match[8] === '-' ? -1 : 1;
  return localMs - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

/** Rounds up to the next multiple of `roundingMs` since the epoch; an exact mark stays (12:02 → 12:10, 12:10 → 12:10). */
export function roundUpToMark(ms: number, roundingMs: number): number {
  return Math.ceil(ms / roundingMs) * roundingMs;
}

/** Bolna's documented rules, exactly, in the order its handler meets them. */
export function decideSchedule(
  scheduledAt: string | undefined,
  nowMs: number,
  rules: SimulatorSettings['rules'],
): ScheduleDecision {
  if (scheduledAt === undefined || scheduledAt === '') {
    return { ok: false, status: 400, message: 'scheduled_at is required' };
  }
  if (/[zZ]$/.test(scheduledAt)) return { ok: false, status: 500, message: 'Internal Server Error' };
  const requestedMs = parseScheduledAt(scheduledAt);
  if (requestedMs === undefined) {
    return {
      ok: false,
      status: 400,
      message:
        'scheduled_at must be an ISO 8601 datetime with a numeric UTC offset, e.g. 2026-06-23T07:00:00+00:00',
    };
  }
  if (requestedMs - nowMs < rules.minLeadMs) {
    return {
      ok: false,
      status: 400,
      message: `scheduled_at must be at least ${describeDuration(rules.minLeadMs)} in the future`,
    };
  }
  return { ok: true, requestedMs, startsAtMs: roundUpToMark(requestedMs, rules.roundingMs) };
}

function describeDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
  return `${ms / 1000} seconds`;
}
