import { recipientDataOf } from './batch-store';
import type { BatchStore, SimBatch } from './batch-store';
import { attemptsOf, isTerminal, talkedMs } from './call-plan';
import type { CallStatus } from './call-plan';
import type { SimulatorSettings } from './settings';
import { isoUtc } from './time-format';

/** The caller id used when a batch was created without `from_phone_numbers` (Bolna uses the agent's number). */
const defaultFromNumber = '+18005550100';

/** How `total_cost` splits into `cost_breakdown`; the parts are rounded first so that they add up to the total. */
const costShares = { llm: 0.25, network: 0.15, platform: 0.2, synthesizer: 0.25, transcriber: 0.15 };

/** Why an unanswered or stopped call ended (an answered one was hung up by the callee or the agent). */
const hangupReasons: Partial<Record<CallStatus, string>> = {
  'no-answer': 'No answer',
  busy: 'Line busy',
  failed: 'Call failed',
  stopped: 'Batch stopped',
  canceled: 'Batch canceled',
};

/** Q.850 cause codes, as telephony providers report them (16 is a normal hang-up). */
const hangupProviderCodes: Partial<Record<CallStatus, number>> = {
  'no-answer': 19,
  busy: 17,
  failed: 41,
  stopped: 16,
  canceled: 16,
};

const hundredths = (value: number) => Math.round(value * 100) / 100;

/**
 * One execution object (one CSV row) at `nowMs`, with every documented field. Fields Bolna fills in only as the
 * call progresses are null until then: `telephony_data` until the call is placed, the transcript, recording and
 * cost until it is final. `telephony_data.duration` is a string, as Bolna sends it. Under Bolna's own retries the
 * call's fields are those of its current attempt, which `retry_count` numbers, after the earlier ones in
 * `retry_history`; `scheduled_at` says when the attempt is (or was) due.
 */
export function executionView(
  store: BatchStore,
  batch: SimBatch,
  index: number,
  nowMs: number,
  variants: SimulatorSettings['variants'],
): Record<string, unknown> {
  const recipientData = recipientDataOf(batch, index);
  const toNumber = recipientData.contact_number ?? '';
  const callable = batch.callable[index]!;
  const plannedCall = batch.schedule?.calls[index];
  const state = store.callState(batch, index, nowMs);
  const attempts = plannedCall === undefined ? [] : attemptsOf(plannedCall);
  const call = attempts[state.attempt];
  const final = isTerminal(state.status);
  // Up to when things happened: a stop that cuts the call short freezes it where it was.
  const horizonMs = Math.min(nowMs, state.frozenAtMs ?? Infinity);
  const placed =
    call !== undefined && callable && call.outcome !== 'balance-low' && call.dialAtMs <= horizonMs;
  const placedCall = placed ? call : undefined;
  const conversationMs = talkedMs(call, nowMs, state.frozenAtMs);
  const conversationKnown = final || state.status === 'call-disconnected';
  const conversationSeconds = conversationKnown ? Math.round(conversationMs / 100) / 10 : 0;

  const minutes = conversationMs / 60_000;
  const parts = Object.fromEntries(
    Object.entries(costShares).map(([name, share]) => [
      name,
      final ? hundredths(minutes * (batch.schedule?.costCentsPerMinute ?? 0) * share) : 0,
    ]),
  );
  const totalCost = hundredths(Object.values(parts).reduce((sum, part) => sum + part, 0));
  const hungUp = state.status === 'completed' || state.status === 'call-disconnected';
  const fromNumbers = batch.fromPhoneNumbers;
  const id = batch.executionIds[index]!;
  const createdAt = isoUtc(batch.createdAtMs);
  const updatedAt = isoUtc(Math.max(batch.createdAtMs, state.sinceMs));

  return {
    id,
    agent_id: batch.agentId,
    batch_id: batch.batchId,
    status: state.status,
    error_message: !callable
      ? `Invalid phone number: '${toNumber}' is not in E.164 format`
      : state.status === 'balance-low'
        ? 'Wallet balance too low to place the call'
        : null,
    [variants.durationField]: conversationSeconds,
    total_cost: totalCost,
    cost_breakdown: parts,
    transcript:
      state.status === 'completed'
        ? `assistant: Hello, this is a simulated call to ${toNumber}.\nuser: Hi.\nassistant: Thank you, goodbye.`
        : null,
    extracted_data: state.status === 'completed' ? { simulated: true } : null,
    answered_by_voice_mail: false,
    created_at: createdAt,
    updated_at: updatedAt,
    // A retry is due when its interval has passed; once the guardrails hold it back, when they next open.
    scheduled_at:
      state.attempt > 0 && call !== undefined
        ? isoUtc(nowMs < call.dueAtMs ? call.dueAtMs : call.dialAtMs)
        : batch.schedule
          ? isoUtc(batch.schedule.startsAtMs)
          : null,
    retry_count: state.attempt,
    retry_history: attempts.slice(0, state.attempt).map((attempt, number) => ({
      attempt: number + 1,
      status: attempt.outcome,
      at: isoUtc(attempt.doneAtMs),
    })),
    batch_run_details: {
      status: state.status,
      created_at: createdAt,
      updated_at: updatedAt,
      retried: state.attempt,
    },
    telephony_data:
      placedCall === undefined
        ? null
        : {
            duration: conversationKnown ? String(Math.ceil(conversationMs / 1000)) : null,
            to_number: toNumber,
            from_number: fromNumbers[index % Math.max(1, fromNumbers.length)] ?? defaultFromNumber,
            recording_url:
              state.status === 'completed' ? `https://recordings.simulator.invalid/${id}.mp3` : null,
            provider: 'twilio',
            provider_call_id: `CA${id.replace(/-/g, '')}`,
            call_type: 'outbound',
            hangup_by: hungUp ? (placedCall.hangupBy ?? null) : null,
            hangup_reason: hungUp
              ? `${placedCall.hangupBy ?? 'Callee'} hung up`
              : final
                ? (hangupReasons[state.status] ?? null)
                : null,
            hangup_provider_code: hungUp ? 16 : final ? (hangupProviderCodes[state.status] ?? null) : null,
            ring_duration: Math.max(
              0,
              Math.round(
                (Math.min(horizonMs, placedCall.answerAtMs ?? placedCall.hangupAtMs) - placedCall.ringAtMs) /
                  1000,
              ),
            ),
            post_dial_delay: Math.round((placedCall.ringAtMs - placedCall.dialAtMs) / 1000),
          },
    context_details: { recipient_data: recipientData, recipient_phone_number: toNumber },
  };
}
