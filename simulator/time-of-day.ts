import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

/**
 * Local times of day in a recipient's time zone, for the settings that depend on them (Bolna's calling guardrails,
 * outcomes by local time). A range runs from its first minute up to, not including, its last; one whose end comes
 * before its start runs over midnight (`21:00`–`09:00` is the night).
 */

/** `HH:MM` on a 24-hour clock, as minutes since midnight. */
export const clockTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day written HH:MM (00:00 to 23:59)')
  .transform((text) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3)));

/** An IANA time zone name the runtime knows (`Asia/Kolkata`, `America/New_York`, ...). */
export const timeZoneSchema = z.string().refine(isTimeZone, 'must be an IANA time zone name');

export function isTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

/** Minutes since midnight, the first included, the second not; end before start runs over midnight. */
export interface MinuteRange {
  readonly startMinute: number;
  readonly endMinute: number;
}

/** Minutes since local midnight (with their fraction) in `zone` at `atMs`. */
export function localMinuteOfDay(atMs: number, zone: string): number {
  const local = DateTime.fromMillis(atMs, { zone });
  return local.hour * 60 + local.minute + local.second / 60 + local.millisecond / 60_000;
}

export function rangeContains(range: MinuteRange, minute: number): boolean {
  const { startMinute, endMinute } = range;
  return startMinute < endMinute
    ? minute >= startMinute && minute < endMinute
    : minute >= startMinute || minute < endMinute;
}

/** How far ahead a common opening of several zones is looked for before concluding there is none. */
const openingSearchMs = 8 * 86_400_000;

/**
 * The first moment at or after `atMs` when `hours` are open in every one of `zones`; undefined when they are not
 * open together at any moment of the next 8 days (zones too far apart for the hours).
 */
export function nextOpeningAtMs(
  atMs: number,
  zones: readonly string[],
  hours: MinuteRange,
): number | undefined {
  let candidateMs = atMs;
  while (candidateMs <= atMs + openingSearchMs) {
    // No zone is open before its own next opening, so nothing before the latest of them is open in all.
    const latestMs = zones.reduce(
      (latest, zone) => Math.max(latest, openingInZone(candidateMs, zone, hours)),
      candidateMs,
    );
    if (latestMs === candidateMs) return candidateMs;
    candidateMs = latestMs;
  }
  return undefined;
}

function openingInZone(atMs: number, zone: string, hours: MinuteRange): number {
  if (rangeContains(hours, localMinuteOfDay(atMs, zone))) return atMs;
  const local = DateTime.fromMillis(atMs, { zone });
  // A start inside a daylight-saving gap moves forward to the first existing minute, as luxon resolves it.
  const today = local.set({
    hour: Math.floor(hours.startMinute / 60),
    minute: hours.startMinute % 60,
    second: 0,
    millisecond: 0,
  });
  return (today.toMillis() > atMs ? today : today.plus({ days: 1 })).toMillis();
}
