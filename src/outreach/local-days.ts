import { dayMs, formatLocalDay, zoneClock } from './zone-clock';

/** The date (`YYYY-MM-DD`) in `zone` at `atMs`: the day a per-number daily call cap counts in. */
export function localDate(zone: string, atMs: number): string {
  return formatLocalDay(zoneClock(zone).localDay(atMs));
}

/**
 * The first instant after `atMs` from which every one of `zones` shows a later date than it did at `atMs`: when a
 * number that reached its daily cap may be called again. With several zones the latest of their midnights counts,
 * so the cap holds whichever zone the recipient is in. A midnight that occurs twice counts at its second
 * occurrence; one skipped by a clock change counts at the jump.
 */
export function startOfNextLocalDay(zones: readonly string[], atMs: number): number {
  if (zones.length === 0) throw new RangeError('startOfNextLocalDay needs at least one time zone');
  let latestMs = -Infinity;
  for (const zone of zones) {
    const clock = zoneClock(zone);
    const nextMidnightMs = clock.instantOf((clock.localDay(atMs) + 1) * dayMs, 'last');
    latestMs = Math.max(latestMs, nextMidnightMs);
  }
  return latestMs;
}
