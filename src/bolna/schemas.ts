import { z } from 'zod';

/**
 * zod schemas for Bolna's responses. They accept every documented variant (`status` or `state`, 200/201/202,
 * bare arrays or `{data}` envelopes) and keep unknown fields (`looseObject`), because Bolna adds fields without
 * notice and a strict schema would turn that into an outage.
 */

const optionalText = z.string().nullish();
const optionalNumber = z.number().nullish();

/** `POST /batches`: `{"batch_id": "...", "state": "created"}`. */
export const createBatchResponseSchema = z
  .looseObject({ batch_id: z.string().min(1), state: optionalText, status: optionalText })
  .transform((body) => ({ ...body, status: body.status ?? body.state ?? 'created' }));
export type CreateBatchResponse = z.infer<typeof createBatchResponseSchema>;

const scheduledAtInState = /^scheduled at (\S+)$/;

/**
 * `POST /batches/{id}/schedule`: `{"message":"success","state":"scheduled"}`, or
 * `"state":"scheduled at 2026-06-23T07:00:00+00:00"` which also tells the rounded start.
 */
export const scheduleBatchResponseSchema = z
  .looseObject({ message: optionalText, state: optionalText, status: optionalText })
  .transform((body) => {
    const state = body.state ?? body.status ?? 'scheduled';
    return { ...body, state, startsAt: scheduledAtInState.exec(state)?.[1] };
  });
export type ScheduleBatchResponse = z.infer<typeof scheduleBatchResponseSchema>;

/** A batch as returned by `GET /batches/{id}` and `GET /batches/{agent_id}/all`. `status` is normalised. */
export const batchSchema = z
  .looseObject({
    batch_id: z.string().min(1),
    status: optionalText,
    state: optionalText,
    scheduled_at: optionalText,
    created_at: optionalText,
    updated_at: optionalText,
    humanized_created_at: optionalText,
    file_name: optionalText,
    valid_contacts: optionalNumber,
    total_contacts: optionalNumber,
    from_phone_numbers: z.array(z.string()).nullish(),
    from_phone_number: optionalText,
    execution_status: z.record(z.string(), z.number()).nullish(),
  })
  .transform((batch) => ({ ...batch, status: batch.status ?? batch.state ?? 'unknown' }));
export type Batch = z.infer<typeof batchSchema>;

export const batchListSchema = z.union([z.array(batchSchema), z.looseObject({ data: z.array(batchSchema) })]);

/**
 * Every field Bolna documents for one call, all optional except the id and status. The id is a uuid string in
 * the spec and an integer in another Bolna reference: both are accepted and kept as a string, so the same call
 * listed by two endpoints is recognised as one. The conversation's length is `conversation_duration`, also seen
 * as `conversation_time` (see conversationSeconds). Under Bolna's own retries (`retry_config`) an execution
 * carries `retry_count`, `retry_history` and `batch_run_details.retried`, and `scheduled_at` for its next attempt.
 */
export const executionSchema = z.looseObject({
  id: z.union([z.string().min(1), z.int().transform(String)]),
  status: z.string(),
  agent_id: optionalText,
  batch_id: optionalText,
  error_message: optionalText,
  conversation_duration: optionalNumber,
  conversation_time: optionalNumber,
  total_cost: optionalNumber,
  cost_breakdown: z.record(z.string(), z.unknown()).nullish(),
  transcript: optionalText,
  extracted_data: z.unknown().optional(),
  answered_by_voice_mail: z.boolean().nullish(),
  created_at: optionalText,
  updated_at: optionalText,
  scheduled_at: optionalText,
  retry_count: optionalNumber,
  /** Each earlier attempt (`{attempt, status, at}` in Bolna's docs); kept as Bolna sends it. */
  retry_history: z.unknown().optional(),
  batch_run_details: z
    .looseObject({
      status: optionalText,
      created_at: optionalText,
      updated_at: optionalText,
      retried: optionalNumber,
    })
    .nullish(),
  telephony_data: z
    .looseObject({
      duration: z.union([z.string(), z.number()]).nullish(),
      to_number: optionalText,
      from_number: optionalText,
      recording_url: optionalText,
      provider: optionalText,
      hangup_reason: optionalText,
    })
    .nullish(),
  context_details: z.looseObject({ recipient_data: z.record(z.string(), z.unknown()).nullish() }).nullish(),
});
export type Execution = z.infer<typeof executionSchema>;

/** The conversation's length in seconds: `conversation_duration`, or `conversation_time` where Bolna says that. */
export function conversationSeconds(execution: Execution): number | undefined {
  return execution.conversation_duration ?? execution.conversation_time ?? undefined;
}

/** How many times Bolna retried the call: `retry_count`, or `batch_run_details.retried`. */
export function retriesOf(execution: Execution): number | undefined {
  return execution.retry_count ?? execution.batch_run_details?.retried ?? undefined;
}

/** `GET /v2/agent/{agent_id}/executions`: the one paginated executions listing. */
export const executionPageSchema = z.looseObject({
  page_number: z.number(),
  page_size: z.number(),
  total: z.number(),
  has_more: z.boolean(),
  data: z.array(executionSchema),
});
export type ExecutionPage = z.infer<typeof executionPageSchema>;

/** `POST /batches/{id}/stop` and `DELETE /batches/{id}`. */
export const batchActionResponseSchema = z.looseObject({ message: optionalText, state: optionalText });
export type BatchActionResponse = z.infer<typeof batchActionResponseSchema>;

/** `GET /user/me`. `wallet` is reported ×100. */
export const accountSchema = z.looseObject({
  id: z.string(),
  name: optionalText,
  email: optionalText,
  wallet: optionalNumber,
  concurrency: z.looseObject({ max: optionalNumber, current: optionalNumber }).nullish(),
});
export type Account = z.infer<typeof accountSchema>;

/**
 * Bolna's error bodies: `{error, message}` (`error` an integer in its spec, text in some answers) on 400 and on
 * `/user/me`'s 401, `{detail}` on 403 (FastAPI), `{message}` on 404.
 */
export const errorBodySchema = z.looseObject({
  message: z.unknown().optional(),
  error: z.unknown().optional(),
  detail: z.unknown().optional(),
});
