import type { BatchStatus, BatchStore, SimBatch } from './batch-store';
import type { SimulatorSettings } from './settings';
import { humanizedAge, isoUtc } from './time-format';

/** The OpenAPI enum's words for the quickstart's statuses (`created` and `scheduled` are the same in both). */
const specStatusNames: Record<BatchStatus, string> = {
  created: 'created',
  scheduled: 'scheduled',
  running: 'queued',
  completed: 'executed',
  stopped: 'stopped',
  failed: 'failed',
  canceled: 'canceled',
};

/** The word a batch's status is reported with, in the variant's words (an unknown one from the start on). */
export function batchStatusName(status: BatchStatus, variants: SimulatorSettings['variants']): string {
  const started = status === 'running' || status === 'completed';
  if (started && variants.unknownBatchStatus !== undefined) return variants.unknownBatchStatus;
  return variants.statusNames === 'spec' ? specStatusNames[status] : status;
}

/** Keys of the batch object that carry its status, as the variant has it. */
const statusKeys: Record<SimulatorSettings['variants']['statusField'], readonly string[]> = {
  status: ['status'],
  state: ['state'],
  both: ['status', 'state'],
  none: [],
};

/**
 * The batch object of `GET /batches/{id}` and `GET /batches/{agent_id}/all`: every documented field, plus fields
 * Bolna does not document (`agent_id`, the deprecated `from_phone_number`, ...), which clients must keep.
 */
export function batchView(
  store: BatchStore,
  batch: SimBatch,
  nowMs: number,
  variants: SimulatorSettings['variants'],
): Record<string, unknown> {
  const status = batchStatusName(store.status(batch, nowMs), variants);
  const executionStatus: Record<string, number> = {};
  let updatedAtMs = batch.updatedAtMs;
  for (const call of store.callStates(batch, nowMs)) {
    executionStatus[call.status] = (executionStatus[call.status] ?? 0) + 1;
    updatedAtMs = Math.max(updatedAtMs, call.sinceMs);
  }
  return {
    batch_id: batch.batchId,
    ...Object.fromEntries(statusKeys[variants.statusField].map((key) => [key, status])),
    scheduled_at: batch.schedule ? isoUtc(batch.schedule.startsAtMs) : null,
    created_at: isoUtc(batch.createdAtMs),
    updated_at: isoUtc(updatedAtMs),
    humanized_created_at: humanizedAge(nowMs - batch.createdAtMs),
    file_name: batch.fileName,
    valid_contacts: batch.callable.filter(Boolean).length,
    total_contacts: batch.totalContacts,
    from_phone_numbers: batch.fromPhoneNumbers,
    execution_status: executionStatus,
    agent_id: batch.agentId,
    from_phone_number: batch.fromPhoneNumbers[0] ?? null,
    retry_config: batch.retryConfig ?? null,
    webhook_url: batch.webhookUrl ?? null,
    bypass_call_guardrails: batch.schedule?.bypassCallGuardrails ?? false,
  };
}
