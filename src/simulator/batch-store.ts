import { randomBytes, randomUUID } from 'node:crypto';
import { callStatusAt, finishedAt, planCalls } from './call-plan';
import type { PlannedCall } from './call-plan';
import { seededRandom } from './random';
import type { SimulatorSettings } from './settings';

/** One CSV row as uploaded. */
export type Recipient = Record<string, string>;

export interface SimBatch {
  batchId: string;
  agentId: string;
  fileName: string;
  createdAt: number;
  updatedAt: number;
  recipients: Recipient[];
  /** Whether each row's `contact_number` is E.164 (Bolna calls only those). */
  callable: boolean[];
  executionIds: string[];
  fromPhoneNumbers: string[];
  retryConfig?: unknown;
  webhookUrl?: string;
  /** The rounded start, once scheduled. */
  startsAt?: number;
  calls?: PlannedCall[];
  stoppedAt?: number;
  deleted: boolean;
}

const e164 = /^\+[1-9]\d{7,14}$/;
const terminalCallStatuses = new Set(['completed', 'busy', 'no-answer', 'failed', 'stopped']);

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

/**
 * The simulator's state: every batch and its calls. Batch and call statuses are computed from the clock on each
 * read, never advanced by timers.
 */
export class BatchStore {
  readonly batches = new Map<string, SimBatch>();
  readonly #random: () => number;

  constructor(
    private readonly settings: SimulatorSettings,
    seed: number,
  ) {
    this.#random = seededRandom(seed);
  }

  get size(): number {
    return this.batches.size;
  }

  create(
    input: Omit<SimBatch, 'batchId' | 'createdAt' | 'updatedAt' | 'callable' | 'executionIds' | 'deleted'>,
    nowMs: number,
  ): SimBatch {
    const batch: SimBatch = {
      ...input,
      batchId: randomBytes(16).toString('hex'),
      createdAt: nowMs,
      updatedAt: nowMs,
      callable: input.recipients.map((row) => e164.test((row.contact_number ?? '').trim())),
      executionIds: input.recipients.map(() => randomUUID()),
      deleted: false,
    };
    this.batches.set(batch.batchId, batch);
    return batch;
  }

  /** A live (not deleted) batch, or undefined. */
  find(batchId: string): SimBatch | undefined {
    const batch = this.batches.get(batchId);
    return batch && !batch.deleted ? batch : undefined;
  }

  schedule(batch: SimBatch, startsAt: number, nowMs: number): void {
    batch.startsAt = startsAt;
    batch.updatedAt = nowMs;
    batch.calls = planCalls(batch.callable, startsAt, this.settings.calls, this.#random);
  }

  stop(batch: SimBatch, nowMs: number): void {
    batch.stoppedAt = nowMs;
    batch.updatedAt = nowMs;
  }

  status(batch: SimBatch, nowMs: number): string {
    if (batch.stoppedAt !== undefined) return 'stopped';
    if (batch.startsAt === undefined || !batch.calls) return 'created';
    if (nowMs < batch.startsAt) return 'scheduled';
    return batch.calls.every((call) => finishedAt(call) <= nowMs) ? 'completed' : 'running';
  }

  /** A call's status; calls still going when the batch was stopped end as `stopped`. */
  callStatus(batch: SimBatch, index: number, nowMs: number): string {
    const call = batch.calls?.[index];
    if (!call || batch.startsAt === undefined) return 'prepared';
    if (batch.stoppedAt !== undefined && nowMs >= batch.stoppedAt) {
      const atStop = callStatusAt(call, batch.startsAt, batch.stoppedAt);
      return terminalCallStatuses.has(atStop) ? atStop : 'stopped';
    }
    return callStatusAt(call, batch.startsAt, nowMs);
  }

  executionStatusCounts(batch: SimBatch, nowMs: number): Record<string, number> {
    const counts: Record<string, number> = {};
    for (let i = 0; i < batch.recipients.length; i += 1) {
      const status = this.callStatus(batch, i, nowMs);
      counts[status] = (counts[status] ?? 0) + 1;
    }
    return counts;
  }

  /** The batch object as Bolna returns it, including a field Bolna does not document (clients must keep it). */
  batchBody(batch: SimBatch, nowMs: number): Record<string, unknown> {
    const status = this.status(batch, nowMs);
    const form = this.settings.variants.statusField;
    return {
      batch_id: batch.batchId,
      ...(form === 'status' || form === 'both' ? { status } : {}),
      ...(form === 'state' || form === 'both' ? { state: status } : {}),
      scheduled_at: batch.startsAt === undefined ? null : iso(batch.startsAt),
      created_at: iso(batch.createdAt),
      updated_at: iso(batch.updatedAt),
      humanized_created_at: humanizeAge(nowMs - batch.createdAt),
      file_name: batch.fileName,
      valid_contacts: batch.callable.filter(Boolean).length,
      total_contacts: batch.recipients.length,
      from_phone_numbers: batch.fromPhoneNumbers,
      execution_status: this.executionStatusCounts(batch, nowMs),
      agent_id: batch.agentId,
      retry_config: batch.retryConfig ?? null,
      webhook_url: batch.webhookUrl ?? null,
    };
  }

  /** One execution object with every documented field. */
  executionBody(batch: SimBatch, index: number, nowMs: number): Record<string, unknown> {
    const recipient = batch.recipients[index]!;
    const call = batch.calls?.[index];
    const status = this.callStatus(batch, index, nowMs);
    const talked = status === 'completed' && call ? call.talkMs / 1000 : 0;
    const cost = Math.round((talked / 60) * this.settings.calls.costCentsPerMinute * 100) / 100;
    const placedAt = call?.placedAt;
    return {
      id: batch.executionIds[index],
      agent_id: batch.agentId,
      batch_id: batch.batchId,
      status,
      error_message: batch.callable[index]
        ? null
        : `invalid phone number '${recipient.contact_number ?? ''}'`,
      conversation_duration: talked,
      total_cost: cost,
      cost_breakdown: {
        llm: cost * 0.4,
        network: cost * 0.2,
        platform: cost * 0.1,
        synthesizer: cost * 0.2,
        transcriber: cost * 0.1,
      },
      transcript: status === 'completed' ? 'assistant: Hello! user: Hi, yes, that works.' : null,
      extracted_data: status === 'completed' ? { confirmed: true } : null,
      answered_by_voice_mail: false,
      created_at: iso(batch.createdAt),
      updated_at: iso(Math.max(batch.updatedAt, Math.min(nowMs, placedAt ?? batch.updatedAt))),
      batch_run_details: { status, created_at: iso(batch.createdAt), updated_at: iso(nowMs), retried: 0 },
      telephony_data: {
        duration: String(Math.round(talked)),
        to_number: recipient.contact_number ?? null,
        from_number: batch.fromPhoneNumbers[0] ?? '+18005550100',
        recording_url:
          status === 'completed' ? `https://recordings.invalid/${batch.executionIds[index]}.mp3` : null,
        provider: 'simulated',
        provider_call_id: placedAt === undefined ? null : `sim-${batch.executionIds[index]}`,
        call_type: 'outbound',
        hangup_by: status === 'completed' ? 'user' : null,
        hangup_reason:
          status === 'completed' ? 'normal_clearing' : status === 'stopped' ? 'batch_stopped' : null,
        hangup_provider_code: null,
        ring_duration: call ? Math.round(call.ringMs / 1000) : null,
        post_dial_delay: 1,
      },
      context_details: {
        recipient_data: recipient,
        recipient_phone_number: recipient.contact_number ?? null,
      },
    };
  }
}

function humanizeAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'a few seconds ago';
  if (minutes < 60) return `${minutes} minutes ago`;
  return `${Math.floor(minutes / 60)} hours ago`;
}
