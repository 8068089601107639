import type { SimBatch } from './batch-store';
import type { HandlerContext } from './handler-context';
import { HttpError, jsonReply } from './http-reply';

/** The batch a `/batches/{batch_id}/...` path names; unknown and deleted batches are a 404 alike. */
export function liveBatch(context: HandlerContext): SimBatch {
  const batch = context.store.find(context.params[0] ?? '');
  if (!batch) throw new HttpError(jsonReply(404, { error: 404, message: 'Batch not found' }));
  return batch;
}
