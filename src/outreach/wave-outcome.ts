import { retriesOf } from '../bolna/schemas';
import type { Execution } from '../bolna/schemas';
import { callOutcome } from '../bolna/statuses';
import { parseBolnaTimestamp } from '../bolna/timestamps';
import { retryableCallStatuses } from '../workflows/outreach-definitions';
import type { RetryableCallStatus } from '../workflows/outreach-definitions';
import type { Attempt, LedgerContact } from './ledger';

/**
 * What a wave's call did to its contact. A call Bolna never placed (the wave was stopped or paused before it, the
 * agent's hours held it back, the wallet ran out) is no attempt: the contact goes back to pending, as if the wave
 * had not included it. A placed call is an attempt; the contact is then answered, waits for a retry, or is done.
 */

/** Execution statuses of a call that was never placed. */
const notPlacedStatuses = new Set(['prepared', 'scheduled', 'queued', 'rescheduled', 'balance-low']);
/**
 * The statuses a batch's end (a stop, or Bolna giving it up) gives its unfinished calls: a call not yet placed, or
 * one on the line that the end cut short. Only the latter has telephony data; it was a call all the same, so it is
 * an attempt, and a pause or a closing window never has that contact called twice.
 */
const endedWithBatchStatuses = new Set(['stopped', 'canceled']);

/** The retry settings as the ledger applies them (`after` already in ms). */
export interface RetryRule {
  on: readonly RetryableCallStatus[];
  maxAttempts: number;
  afterMs: number;
}

/** The call's attempt, or undefined when Bolna never placed it. */
export function attemptOf(
  execution: Execution,
  wave: number,
  batchId: string,
  recordedAtMs: number,
): (Attempt & { extracted?: unknown }) | undefined {
  if (!wasPlaced(execution)) return undefined;
  const outcome = callOutcome(execution);
  const recordingUrl = execution.telephony_data?.recording_url;
  return {
    wave,
    batchId,
    status: outcome === 'answered' ? 'completed' : outcome,
    atMs:
      parseBolnaTimestamp(execution.updated_at) ?? parseBolnaTimestamp(execution.created_at) ?? recordedAtMs,
    costCents: execution.total_cost ?? 0,
    calls: 1 + (retriesOf(execution) ?? 0),
    executionId: execution.id,
    ...(recordingUrl ? { recordingUrl } : {}),
    ...(execution.extracted_data !== undefined ? { extracted: execution.extracted_data } : {}),
  };
}

function wasPlaced(execution: Execution): boolean {
  if (notPlacedStatuses.has(execution.status)) return false;
  if (endedWithBatchStatuses.has(execution.status)) {
    const hasTelephony = execution.telephony_data !== null && execution.telephony_data !== undefined;
    return hasTelephony || (execution.conversation_duration ?? execution.conversation_time ?? 0) > 0;
  }
  return true;
}

/**
 * The contact after its wave: `attempt` undefined (never placed) sends it back to pending. A retry waits `afterMs`
 * from when the wave was recorded (after its last call ended), so the next call is at least that long after this one.
 */
export function afterWave(
  contact: LedgerContact,
  attempt: (Attempt & { extracted?: unknown }) | undefined,
  retry: RetryRule | undefined,
  recordedAtMs: number,
): LedgerContact {
  const rest = { ...contact };
  delete rest.wave;
  delete rest.notBeforeMs;
  if (attempt === undefined) {
    // Back where it was before the wave: a contact waiting for its retry keeps its delay, which has passed.
    return { ...rest, state: contact.attempts.length > 0 ? 'retry-waiting' : 'pending' };
  }
  const { extracted, ...call } = attempt;
  const attempts = [...contact.attempts, call];
  const withCall = { ...rest, attempts, ...(extracted !== undefined ? { extracted } : {}) };
  if (call.status === 'completed') return { ...withCall, state: 'answered' };
  const retryable = retry?.on.includes(retryStatusOf(call.status)) ?? false;
  if (retry && retryable && attempts.length < retry.maxAttempts) {
    return { ...withCall, state: 'retry-waiting', notBeforeMs: recordedAtMs + retry.afterMs };
  }
  return { ...withCall, state: 'exhausted' };
}

/** A placed call whose status is none of the retryable ones (still ringing when collected, say) counts as an error. */
function retryStatusOf(status: string): RetryableCallStatus {
  return retryableCallStatuses.find((retryable) => retryable === status) ?? 'error';
}

/** Whether the contact's last call extracted `field` equal to `equals` (compared as text, case aside). */
export function meetsGoal(
  extracted: unknown,
  goal: { field: string; equals: string | number | boolean },
): boolean {
  let data = extracted;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      return false;
    }
  }
  if (data === null || typeof data !== 'object') return false;
  const value = (data as Record<string, unknown>)[goal.field];
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return false;
  return String(value).trim().toLowerCase() === String(goal.equals).trim().toLowerCase();
}
