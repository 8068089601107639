import { roundUpToMark } from '../bolna/schedule-time';
import type { ScheduleRules } from '../bolna/schedule-time';
import type { CallingWindow } from '../workflows/outreach-definitions';
import { CallingWindowSchedule } from './calling-window';
import { localDate, startOfNextLocalDay } from './local-days';
import { zoneSetKey } from './recipient-zones';
import type { WaveCalendar } from './wave-planner';

/** Without a window, and for a contact with no zone, days are counted in UTC. */
const utc: readonly string[] = Object.freeze(['UTC']);

/**
 * When contacts may be called, for the wave planner: inside the window in each contact's zones (or the window's fixed
 * zone), at Bolna's start marks; without a window, at any mark. The window's schedule remembers zone sets by
 * identity, and every ledger line brings its own array, so equal sets are interned here to one array each.
 */
export function waveCalendar(window: CallingWindow | undefined, rules: ScheduleRules): WaveCalendar {
  const interned = new Map<string, readonly string[]>();
  const intern = (zones: readonly string[]): readonly string[] => {
    if (zones.length === 0) return utc;
    const key = zoneSetKey(zones);
    let known = interned.get(key);
    if (known === undefined) {
      known = Object.freeze([...zones]);
      interned.set(key, known);
    }
    return known;
  };
  const schedule = window ? new CallingWindowSchedule(window) : undefined;
  const zonesOf = (zones: readonly string[]) => schedule?.fixedZones ?? intern(zones);
  return {
    nextOpening: (zones, fromMs) => {
      if (!schedule) return { startMs: roundUpToMark(fromMs, rules) };
      const opening = schedule.nextOpening(zonesOf(zones), fromMs, rules.roundingMs);
      return opening && { startMs: opening.opensAtMs, endMs: opening.closesAtMs };
    },
    localDate: (zones, atMs) => localDate(zonesOf(zones)[0] ?? 'UTC', atMs),
    startOfNextLocalDay: (zones, atMs) => startOfNextLocalDay(zonesOf(zones), atMs),
  };
}
