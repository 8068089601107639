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

export function isTerminalBatchStatus(status: string): boolean {
  return terminalBatchStatuses.includes(status);
}

export function isTerminalCallStatus(status: string): boolean {
  return terminalCallStatuses.includes(status);
}
