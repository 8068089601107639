import { batchView } from './batch-view';
import { executionView } from './execution-view';
import type { HandlerContext } from './handler-context';
import { HttpError, badRequest, jsonReply } from './http-reply';
import type { Reply } from './http-reply';
import { knownAgent } from './known-agent';
import { liveBatch } from './live-batch';
import { listedExecutions } from './omitted-executions';
import { maxPageSize, positiveInteger } from './query-params';

/** `GET /batches/{batch_id}`. */
export function getBatch(context: HandlerContext): Reply {
  const batch = liveBatch(context);
  return jsonReply(200, batchView(context.store, batch, context.nowMs, context.settings.variants));
}

/** `GET /batches/{agent_id}/all`: a bare array of the agent's batches, newest first, no pagination. */
export function listAgentBatches(context: HandlerContext): Reply {
  const { store, nowMs, settings } = context;
  const batches = store.forAgent(knownAgent(context));
  return jsonReply(
    200,
    batches.map((batch) => batchView(store, batch, nowMs, settings.variants)),
  );
}

/** Executions are serialised this many characters at a time, so a 100k-row batch is never one huge string. */
const chunkChars = 64 * 1024;

/**
 * `GET /batches/{batch_id}/executions`: every execution, as a bare array (or, in the variant some clients see,
 * `{"data": [...], "has_more": false}`), streamed. In the `paged` variant, one page of
 * `{"data": [...], "has_more", "page_number", "page_size"}`; without `page_number`/`page_size` the first page of
 * the default size, so a client that ignores `has_more` silently misses the rest.
 */
export function listExecutions(context: HandlerContext): Reply {
  const { store, nowMs, query, settings } = context;
  const batch = liveBatch(context);
  const { executionsEnvelope, executionsPageSize } = settings.variants;
  const listed = listedExecutions(batch, settings.variants, 'batch-listing');
  let [first, end] = [0, listed];
  const opening = executionsEnvelope === 'array' ? '[' : '{"data":[';
  let closing = executionsEnvelope === 'array' ? ']' : '],"has_more":false}';
  if (executionsEnvelope === 'paged') {
    const pageNumber = positiveInteger(query.get('page_number'), 'page_number', 1);
    const pageSize = positiveInteger(query.get('page_size'), 'page_size', executionsPageSize);
    if (pageSize > maxPageSize) throw badRequest(`page_size must be at most ${maxPageSize}`);
    first = Math.min((pageNumber - 1) * pageSize, listed);
    end = Math.min(first + pageSize, listed);
    closing = `],"has_more":${end < listed},"page_number":${pageNumber},"page_size":${pageSize}}`;
  }
  function* chunks(): Iterable<string> {
    let chunk = opening;
    for (let index = first; index < end; index += 1) {
      chunk +=
        (index === first ? '' : ',') +
        JSON.stringify(executionView(store, batch, index, nowMs, settings.variants));
      if (chunk.length >= chunkChars) {
        yield chunk;
        chunk = '';
      }
    }
    yield chunk + closing;
  }
  return { status: 200, body: { kind: 'json-stream', chunks } };
}

/**
 * `POST /batches/{batch_id}/stop`: a running batch stops, and so does a scheduled one unless the variant says
 * otherwise; a batch reporting `variants.unknownBatchStatus` counts as running until it is stopped. Its unfinished
 * calls end `stopped` (with `variants.stopEffect: 'connected-calls-finish'`, only those not yet placed), finished
 * ones keep their result. Anything else is Bolna's 404 "Batch is not queued or running".
 */
export function stopBatch(context: HandlerContext): Reply {
  const { store, nowMs, settings } = context;
  const batch = liveBatch(context);
  const status = store.status(batch, nowMs);
  // A batch reporting an unknown status never said it finished, so it still counts as running.
  const running =
    status === 'running' || (status === 'completed' && settings.variants.unknownBatchStatus !== undefined);
  const stoppable = running || (status === 'scheduled' && settings.variants.stopWhileScheduled === 'stops');
  if (!stoppable) throw new HttpError(jsonReply(404, { message: 'Batch is not queued or running' }));
  store.stop(batch, nowMs, settings.variants.stopEffect);
  return jsonReply(200, { message: 'success', state: 'stopped' });
}

/** `DELETE /batches/{batch_id}`: from then on the batch is a 404 everywhere. */
export function deleteBatch(context: HandlerContext): Reply {
  const batch = liveBatch(context);
  context.store.delete(batch, context.nowMs);
  return jsonReply(200, { message: 'success', state: 'deleted' });
}
