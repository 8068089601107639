import type { OutcomeMix, SimulatorSettings } from './settings';
import { localMinuteOfDay, nextOpeningAtMs, rangeContains } from './time-of-day';
import type { MinuteRange } from './time-of-day';

/**
 * What the recipient's local time decides about a call of a batch, fixed when the batch is scheduled: when it may
 * be placed (the agent's guardrails) and with which outcome mix.
 */
export interface LocalTimeRules {
  /** The first moment at or after `dueAtMs` when the call of row `row` may be placed. */
  placeableAtMs(row: number, dueAtMs: number): number;
  /** The outcome mix of a call of row `row` placed at `atMs` (Bolna's retries: `retry` true). */
  outcomesAt(row: number, atMs: number, retry: boolean): OutcomeMix;
}

export interface LocalTimeSettings {
  calls: Pick<SimulatorSettings['calls'], 'outcomes' | 'retryOutcomes' | 'outcomesByLocalTime'>;
  /** Undefined when unset or bypassed for the batch. */
  guardrails: MinuteRange | undefined;
}

/** Whether a batch's calls depend on their recipients' local time, so their zones must be looked up. */
export function needsLocalTime(settings: LocalTimeSettings): boolean {
  return settings.guardrails !== undefined || settings.calls.outcomesByLocalTime !== undefined;
}

/** The rules for rows whose zones are `zonesOf(row)`, asked only when a local-time setting is on. */
export function localTimeRules(
  settings: LocalTimeSettings,
  zonesOf: (row: number) => readonly string[],
  numberOf: (row: number) => string,
): LocalTimeRules {
  const { guardrails, calls } = settings;
  return {
    placeableAtMs(row, dueAtMs) {
      if (guardrails === undefined) return dueAtMs;
      const zones = zonesOf(row);
      const openingMs = nextOpeningAtMs(dueAtMs, zones, guardrails);
      if (openingMs === undefined) {
        throw new Error(
          `the guardrail hours are never open at once in all the time zones of ${numberOf(row)} (${zones.join(', ')}): give it one with the recipientTimeZones setting or a timezone column`,
        );
      }
      return openingMs;
    },
    outcomesAt(row, atMs, retry) {
      if (retry && calls.retryOutcomes !== undefined) return calls.retryOutcomes;
      const byTime = calls.outcomesByLocalTime;
      if (byTime === undefined) return calls.outcomes;
      const minute = localMinuteOfDay(atMs, zonesOf(row)[0]!);
      return byTime.find((range) => rangeContains(range, minute))?.outcomes ?? calls.outcomes;
    },
  };
}
