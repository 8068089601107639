import type { SimulatorSettings } from './settings';

/** What Bolna does with a `scheduled_at`: a rejection (status and message) or the rounded start. */
export type ScheduleDecision =
  { ok: true; startsAt: number } | { ok: false; status: 400 | 500; message: string };

const numericOffset = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?[+-]\d{2}:\d{2}$/;

/**
 * Bolna's documented rules, exactly: a `Z` suffix is answered with a 500 (its parser fails), anything else that is
 * not ISO 8601 with a numeric offset is a 400, so is a start less than the lead ahead; a valid start is rounded up
 * to the next multiple of the rounding (12:02 → 12:10; an exact mark stays).
 */
export function decideSchedule(
  scheduledAt: string | undefined,
  nowMs: number,
  rules: SimulatorSettings['rules'],
): ScheduleDecision {
  const text = scheduledAt?.trim() ?? '';
  if (/[zZ]$/.test(text)) return { ok: false, status: 500, message: 'Internal Server Error' };
  if (!numericOffset.test(text) || Number.isNaN(Date.parse(text))) {
    return {
      ok: false,
      status: 400,
      message: 'scheduled_at must be an ISO 8601 datetime with a numeric UTC offset',
    };
  }
  const requestedMs = Date.parse(text);
  if (requestedMs - nowMs < rules.minLeadMs) {
    const minutes = rules.minLeadMs / 60_000;
    return {
      ok: false,
      status: 400,
      message: `scheduled_at must be at least ${minutes} minutes in the future`,
    };
  }
  return { ok: true, startsAt: Math.ceil(requestedMs / rules.roundingMs) * rules.roundingMs };
}
