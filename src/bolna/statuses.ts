/**
 * Bolna's status vocabularies. Pure constants with no imports, so workflow code may use them too.
 * The docs disagree on batch statuses (quickstart: created → scheduled → running → completed; the OpenAPI enum:
 * created | scheduled | queued | executed; `stopped` also occurs), so we accept every documented spelling.
 */

/** Batch statuses after which nothing more will happen to the batch's calls. */
export const terminalBatchStatuses: readonly string[] = ['completed', 'executed', 'stopped'];

/** Call statuses that are final for one execution (one CSV row). */
export const terminalCallStatuses: readonly string[] = [
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

export function isTerminalBatchStatus(status: string): boolean {
  return terminalBatchStatuses.includes(status);
}

export function isTerminalCallStatus(status: string): boolean {
  return terminalCallStatuses.includes(status);
}
