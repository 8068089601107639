import { contactNumberOf, recipientDataOf } from './batch-store';
import type { SimBatch } from './batch-store';
import { batchStatusName } from './batch-view';
import { singleField } from './form-fields';
import type { HandlerContext } from './handler-context';
import { HttpError, badRequest, internalServerError, jsonReply } from './http-reply';
import type { Reply } from './http-reply';
import { liveBatch } from './live-batch';
import { needsLocalTime } from './local-time-rules';
import { readMultipart } from './multipart';
import type { RecipientZones } from './recipient-zones';
import { loggedFields } from './request-log';
import { decideSchedule } from './schedule-rules';
import { isoUtc } from './time-format';

/**
 * `POST /batches/{batch_id}/schedule`, multipart `scheduled_at` and optionally `bypass_call_guardrails`, and
 * `batch_id` again (required by Bolna's spec; optional unless `variants.scheduleBatchIdField` says otherwise).
 * A batch can be (re)scheduled until it starts; the calls are planned from the rounded start.
 */
export async function scheduleBatch(context: HandlerContext): Promise<Reply> {
  const { entry, settings, store, nowMs } = context;
  // Any file part is drained and ignored: the schedule endpoint takes none.
  const form = await readMultipart(context.req, async () => {});
  entry.fields = loggedFields(form.fields);
  const batch = liveBatch(context);
  const bodyBatchId = singleField(form.fields, 'batch_id');
  if (bodyBatchId === undefined && settings.variants.scheduleBatchIdField === 'required')
    throw badRequest('batch_id is required');
  if (bodyBatchId !== undefined && bodyBatchId !== batch.batchId)
    throw badRequest(`batch_id ${bodyBatchId} does not match the batch in the path`);
  const status = store.status(batch, nowMs);
  if (status !== 'created' && status !== 'scheduled') {
    throw badRequest(
      `The batch is ${batchStatusName(status, settings.variants)} and can no longer be scheduled`,
    );
  }
  const decision = decideSchedule(singleField(form.fields, 'scheduled_at'), nowMs, settings.rules);
  if (!decision.ok)
    throw decision.status === 500 ? new HttpError(internalServerError()) : badRequest(decision.message);
  const bypassCallGuardrails = parseBoolean(singleField(form.fields, 'bypass_call_guardrails'));
  const guardrails = bypassCallGuardrails ? undefined : settings.guardrails;
  const zones = needsLocalTime({ calls: settings.calls, guardrails })
    ? await zonesOfRows(batch, context.recipientZones)
    : [];
  store.schedule(batch, { startsAtMs: decision.startsAtMs, bypassCallGuardrails, nowMs }, settings, zones);
  const state =
    settings.variants.scheduleStateForm === 'with-time'
      ? `scheduled at ${isoUtc(decision.startsAtMs)}`
      : 'scheduled';
  return jsonReply(settings.variants.scheduleStatus, { message: 'success', state });
}

/** The documented type is a bool; the form sends it as `true` or `false`. */
function parseBoolean(text: string | undefined): boolean {
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  throw badRequest(`bypass_call_guardrails must be true or false, got '${text}'`);
}

/** Each callable row's time zones (an uncalled row needs none). */
async function zonesOfRows(batch: SimBatch, recipientZones: RecipientZones): Promise<(readonly string[])[]> {
  const zones: (readonly string[])[] = [];
  for (const [row, callable] of batch.callable.entries()) {
    zones.push(
      callable ? await recipientZones.of(contactNumberOf(batch, row), recipientDataOf(batch, row)) : [],
    );
  }
  return zones;
}
