import { executionSchema } from '../../src/bolna/schemas';
import type { LedgerContact } from '../../src/outreach/ledger';
import { afterWave, attemptOf } from '../../src/outreach/wave-outcome';
import type { RetryRule } from '../../src/outreach/wave-outcome';

const number = '+919876543210';
const retry: RetryRule = { on: ['no-answer'], maxAttempts: 2, afterMs: 30_000 };
const recordedAtMs = Date.parse('2026-06-23T12:10:00Z');

function inWave(): LedgerContact {
  return { row: 1, number, zones: [], variables: [], state: 'in-wave', wave: 1, attempts: [] };
}

/** An execution as Bolna lists it once its batch was stopped: `telephony_data` only if the call was placed. */
function stoppedExecution(status: 'stopped' | 'canceled', placed: boolean) {
  return executionSchema.parse({
    id: 'e5b5c6a2-3d1f-4a51-9c1e-0d8f1a2b3c4d',
    status,
    created_at: '2026-06-23T12:00:00Z',
    updated_at: '2026-06-23T12:01:05Z',
    total_cost: placed ? 4.5 : 0,
    telephony_data: placed
      ? { duration: '30', to_number: number, provider: 'twilio', hangup_reason: 'Batch stopped' }
      : null,
    context_details: { recipient_data: { contact_number: number } },
  });
}

describe.each(['stopped', 'canceled'] as const)('a call that ended %s with its batch', (status) => {
  test('cut short on the line: it was a call, so it is an attempt and the contact is not called again', () => {
    const attempt = attemptOf(stoppedExecution(status, true), 1, 'batch-1', recordedAtMs);
    expect(attempt).toMatchObject({ wave: 1, batchId: 'batch-1', status, calls: 1, costCents: 4.5 });
    const after = afterWave(inWave(), attempt, retry, recordedAtMs);
    // Not retried: the policy retries unanswered calls only, and a pause must never have anybody called twice.
    expect(after.state).toBe('exhausted');
    expect(after.attempts).toHaveLength(1);
  });

  test('never placed: no attempt, the contact goes back to pending', () => {
    const attempt = attemptOf(stoppedExecution(status, false), 1, 'batch-1', recordedAtMs);
    expect(attempt).toBeUndefined();
    const after = afterWave(inWave(), attempt, retry, recordedAtMs);
    expect(after.state).toBe('pending');
    expect(after.attempts).toHaveLength(0);
  });
});
