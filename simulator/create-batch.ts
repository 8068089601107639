import { z } from 'zod';
import { readContactsCsv } from './contacts-csv';
import type { ContactsCsv } from './contacts-csv';
import { isE164 } from './e164';
import { singleField } from './form-fields';
import type { HandlerContext } from './handler-context';
import { badRequest, jsonReply } from './http-reply';
import type { Reply } from './http-reply';
import { isKnownAgent } from './known-agent';
import { readMultipart } from './multipart';
import { loggedFields } from './request-log';
import type { RetryConfig } from './retry-policy';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Bolna's auto-retry settings with their documented bounds (fields Bolna does not know are ignored, as it does). */
const retryConfigSchema = z.object({
  enabled: z.boolean().optional(),
  max_retries: z.number().int().min(1).max(3).optional(),
  retry_on_statuses: z.array(z.enum(['no-answer', 'busy', 'failed', 'error'])).optional(),
  retry_on_voicemail: z.boolean().optional(),
  retry_intervals_minutes: z.array(z.number().positive()).optional(),
});

/**
 * `POST /batches`: a multipart upload of `agent_id`, the contact list `file`, and optionally `from_phone_numbers`
 * (repeated), `retry_config` (a JSON string) and `webhook_url` (ignored, not refused, when it is no http(s) URL).
 * The CSV is parsed while it streams in.
 * The batch keeps the uploaded file name exactly, since clients find a batch whose create response was lost by it.
 */
export async function createBatch(context: HandlerContext): Promise<Reply> {
  const { entry, settings, store } = context;
  // Filled in by the file callback while the form streams in.
  const upload: { csv?: ContactsCsv; error?: Error; fileParts: number } = { fileParts: 0 };
  const form = await readMultipart(context.req, async (part) => {
    if (part.name !== 'file') return;
    upload.fileParts += 1;
    // A second file, or a part with no filename, is refused below; readMultipart drains it meanwhile.
    if (upload.fileParts > 1 || part.filename === undefined) return;
    try {
      upload.csv = await readContactsCsv(part.stream);
    } catch (error) {
      upload.error = error instanceof Error ? error : new Error(String(error));
    }
  });
  entry.fields = loggedFields(form.fields);
  const file = form.files.find((part) => part.name === 'file');
  if (file) entry.file = { filename: file.filename ?? '', bytes: file.bytes };

  const agentId = singleField(form.fields, 'agent_id');
  if (agentId === undefined) throw badRequest('agent_id is required');
  if (!uuid.test(agentId)) throw badRequest(`agent_id must be a UUID, got '${agentId}'`);
  if (!isKnownAgent(settings, agentId)) throw badRequest(`Agent ${agentId} not found`);
  if (upload.fileParts === 0) {
    throw badRequest(
      form.fields.file ? 'file must be uploaded as a file, not as a text field' : 'file is required',
    );
  }
  if (upload.fileParts > 1) throw badRequest('Only one file may be uploaded');
  if (file?.filename === undefined) throw badRequest('file must be uploaded as a file, with a filename');
  if (upload.error !== undefined) throw upload.error;
  const csv = upload.csv;
  if (!csv) throw badRequest('file could not be read');

  const fromPhoneNumbers = form.fields.from_phone_numbers ?? [];
  const badNumber = fromPhoneNumbers.find((number) => !isE164(number));
  if (badNumber !== undefined)
    throw badRequest(`from_phone_numbers must be E.164 numbers, got '${badNumber}'`);

  // Rows Bolna's own validation drops (a variant) are gone from here on: never called, never listed.
  const kept = Math.max(0, csv.rows.length - settings.variants.droppedContacts);
  const batch = store.create(
    {
      agentId,
      fileName: file.filename,
      totalContacts: csv.rows.length,
      columns: csv.columns,
      rows: csv.rows.slice(0, kept),
      fromPhoneNumbers,
      retryConfig: parseRetryConfig(singleField(form.fields, 'retry_config')),
      webhookUrl: parseWebhookUrl(singleField(form.fields, 'webhook_url')),
    },
    context.nowMs,
  );
  entry.batchId = batch.batchId;
  return jsonReply(settings.variants.createStatus, { batch_id: batch.batchId, state: 'created' });
}

function parseRetryConfig(text: string | undefined): RetryConfig | undefined {
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badRequest('retry_config must be a valid JSON string');
  }
  const parsed = retryConfigSchema.safeParse(json);
  if (!parsed.success) throw badRequest(`Invalid retry_config: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Bolna ignores a `webhook_url` that is not an http(s) URL instead of refusing the batch: no webhook is kept. */
function parseWebhookUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  return url?.protocol === 'http:' || url?.protocol === 'https:' ? text : undefined;
}
