/**
 * Bolna's status vocabularies. Pure constants with no imports, so workflow code may use them too.
 * The docs disagree on batch statuses (quickstart: created → scheduled → running → completed; the OpenAPI enum:
 * created | scheduled | queued | executed; `stopped` also occurs), so we accept every documented spelling.
 */

/**
 * Batch statuses after which nothing more will happen to the batch's calls, as campaigns first read them. Decide
 * "done" with `isBatchDone`, which also reads the call counts; this list stays for histories recorded before it.
 */
const terminalBatchStatuses: readonly string[] = ['completed', 'executed', 'stopped'];

/** Batch statuses with which Bolna gives a batch up (its own batch monitor treats them as final). */
const abandonedBatchStatuses: readonly string[] = ['failed', 'canceled'];

/**
 * Batch statuses saying Bolna has processed the batch. `executed` may come before every call is final (the batch
 * webhook fires then, and again once they all are), so these mean "done" only together with the call counts.
 */
const processedBatchStatuses: readonly string[] = ['completed', 'executed'];

/** Call statuses that are final for one execution (one CSV row). */
const terminalCallStatuses: readonly string[] = [
  'completed',
  'busy',
  'no-answer',
  'failed',
  'canceled',
  'stopped',
  'error',
  'balance-low',
];

/** Every batch status Bolna documents; anything else is shown to operators and logged as unknown. */
export const knownBatchStatuses: readonly string[] = [
  'created',
  'scheduled',
  'queued',
  'running',
  'completed',
  'executed',
  'stopped',
  'failed',
  'canceled',
];

/**
 * Call statuses of a call already on the line or just off it: a stop does not end these (Bolna only stops calls
 * not yet placed), so they still reach a final status after the batch is stopped. `call-disconnected` turns into
 * `completed` after Bolna's 2–3 minutes of post-processing.
 */
export const connectedCallStatuses: readonly string[] = [
  'initiated',
  'ringing',
  'in-progress',
  'call-disconnected',
];

/**
 * Call statuses of a call Bolna has still to place or to finish: waiting (`prepared`, `queued`), waiting again for
 * Bolna's own retry (`scheduled`, `rescheduled`), on the line, or in post-processing. Only these keep a processed
 * batch from being done; a status Bolna adds later is not waited for (it would only wait out the deadline).
 */
const pendingCallStatuses: readonly string[] = [
  'prepared',
  'scheduled',
  'queued',
  'rescheduled',
  ...connectedCallStatuses,
];

/** How many calls of `counts` (call status → calls) are still pending. */
export function pendingCalls(counts: Readonly<Record<string, number>>): number {
  return pendingCallStatuses.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
}

/**
 * Whether a batch is done, from one look at it: stopped, given up by Bolna (`failed`, `canceled`: what its calls
 * made is all there will be), or processed (`completed`, `executed`) with no call still pending. Anything else,
 * an unknown status included, is still running.
 */
export function isBatchDone(batch: { status: string; counts: Readonly<Record<string, number>> }): boolean {
  if (batch.status === 'stopped' || isAbandonedBatchStatus(batch.status)) return true;
  return processedBatchStatuses.includes(batch.status) && pendingCalls(batch.counts) === 0;
}

export function isAbandonedBatchStatus(status: string): boolean {
  return abandonedBatchStatuses.includes(status);
}

export function isTerminalBatchStatus(status: string): boolean {
  return terminalBatchStatuses.includes(status);
}

export function isTerminalCallStatus(status: string): boolean {
  return terminalCallStatuses.includes(status);
}

/**
 * A call's outcome as people count it: Bolna's `completed` splits into `answered` (a person talked) and `voicemail`;
 * every other status is its own outcome.
 */
export function callOutcome(execution: {
  status: string;
  answered_by_voice_mail?: boolean | null | undefined;
}): string {
  if (execution.status !== 'completed') return execution.status;
  return execution.answered_by_voice_mail === true ? 'voicemail' : 'answered';
}
