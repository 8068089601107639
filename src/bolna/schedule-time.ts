/**
 * Bolna's scheduling arithmetic, kept pure so it can be tested without a clock.
 * Rules (settings, with Bolna's documented defaults): `scheduled_at` at least `minLeadMs` ahead, and the start is
 * rounded *up* to the next multiple of `roundingMs` (10 minutes: a 12:02 request runs at 12:10).
 */
export interface ScheduleRules {
  minLeadMs: number;
  roundingMs: number;
}

export const bolnaScheduleRules: ScheduleRules = { minLeadMs: 2 * 60_000, roundingMs: 10 * 60_000 };

/**
 * The instant to send as `scheduled_at`: the requested start, or, if that is too soon, the earliest instant that
 * is still comfortably past the lead when Bolna receives it. The margin (a quarter of the lead) covers request
 * latency and a little clock skew; each further `attempt` after Bolna refused a start as too soon adds another
 * quarter, so a worker whose clock is behind Bolna's still gets there.
 */
export function chooseScheduledAt(
  nowMs: number,
  rules: ScheduleRules,
  requestedMs?: number,
  attempt = 1,
): number {
  const earliest = nowMs + rules.minLeadMs + Math.ceil(rules.minLeadMs / 4) * Math.max(attempt, 1);
  return Math.ceil(Math.max(earliest, requestedMs ?? 0) / 1000) * 1000;
}

/** When Bolna will really start a batch scheduled at `scheduledAtMs`. */
export function roundUpToMark(scheduledAtMs: number, rules: ScheduleRules): number {
  return Math.ceil(scheduledAtMs / rules.roundingMs) * rules.roundingMs;
}
