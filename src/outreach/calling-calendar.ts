import { roundUpToMark } from '../activities/schedule-time';
import type { ScheduleRules } from '../activities/schedule-time';
import type { CallingWindow } from '../workflows/outreach-definitions';
import type { WaveCalendar } from './wave-planner';

/**
 * When contacts may be called, for the wave planner: without a window, at any Bolna start mark.
 */
export function waveCalendar(window: CallingWindow | undefined, rules: ScheduleRules): WaveCalendar {
  void window;
  return {
    nextOpening: (_zones, fromMs) => ({ startMs: roundUpToMark(fromMs, rules) }),
    localDate: (_zones, atMs) => new Date(atMs).toISOString().slice(0, 10),
    startOfNextLocalDay: (_zones, atMs) => (Math.floor(atMs / 86_400_000) + 1) * 86_400_000,
  };
}
