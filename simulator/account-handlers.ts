import type { SimBatch } from './batch-store';
import { executionView } from './execution-view';
import { knownAgent } from './known-agent';
import type { HandlerContext } from './handler-context';
import { badRequest, jsonReply } from './http-reply';
import type { Reply } from './http-reply';
import { listedExecutions } from './omitted-executions';
import { maxPageSize, positiveInteger, timestamp } from './query-params';

const onTheLine = new Set(['initiated', 'ringing', 'in-progress']);

/** `GET /user/me`; `concurrency.current` counts the calls on the line right now, across batches. */
export function getUser(context: HandlerContext): Reply {
  const { store, nowMs, settings } = context;
  let current = 0;
  for (const batch of store.list()) {
    if (batch.deletedAtMs !== undefined) continue;
    current += store.callStates(batch, nowMs).filter((call) => onTheLine.has(call.status)).length;
  }
  return jsonReply(200, {
    id: '3c90c3cc-0d44-4b50-8888-8dd25736052a',
    name: 'Bolna Simulator',
    email: 'simulator@example.com',
    // Reported ×100 as Bolna does, i.e. in cents: what is left after the calls already planned.
    wallet: Math.max(0, Math.round(settings.account.walletCents)),
    concurrency: { max: settings.calls.concurrency, current },
  });
}

const maxWindowMs = 7 * 24 * 3_600_000;

/**
 * `GET /v2/agent/{agent_id}/executions?batch_id=&page_number=&page_size=&from=&to=`: the agent's executions
 * (optionally one batch's, optionally created within `from`..`to`, at most 7 days apart; in the variant that
 * requires them, both must be given), a page of at most 50.
 */
export function listAgentExecutions(context: HandlerContext): Reply {
  const { store, nowMs, query, settings } = context;
  const pageNumber = positiveInteger(query.get('page_number'), 'page_number', 1);
  const pageSize = positiveInteger(query.get('page_size'), 'page_size', 20);
  if (pageSize > maxPageSize) throw badRequest(`page_size must be at most ${maxPageSize}`);
  const fromMs = timestamp(query.get('from'), 'from');
  const toMs = timestamp(query.get('to'), 'to');
  if (settings.variants.agentExecutionsWindow === 'required' && (fromMs === undefined || toMs === undefined))
    throw badRequest('from and to are required');
  if (fromMs !== undefined && toMs !== undefined) {
    if (toMs < fromMs) throw badRequest('to must not be before from');
    if (toMs - fromMs > maxWindowMs) throw badRequest('from and to must be at most 7 days apart');
  }
  const batchId = query.get('batch_id');
  const batches = store
    .forAgent(knownAgent(context))
    .reverse()
    .filter(
      (batch) =>
        (batchId === null || batch.batchId === batchId) &&
        (fromMs === undefined || batch.createdAtMs >= fromMs) &&
        (toMs === undefined || batch.createdAtMs <= toMs),
    );
  const listed = (batch: SimBatch) => listedExecutions(batch, settings.variants, 'agent-listing');
  const total = batches.reduce((sum, batch) => sum + listed(batch), 0);
  const firstIndex = (pageNumber - 1) * pageSize;
  const data = pageOf(batches, listed, firstIndex, pageSize).map(([batch, index]) =>
    executionView(store, batch, index, nowMs),
  );
  return jsonReply(200, {
    page_number: pageNumber,
    page_size: pageSize,
    total,
    has_more: firstIndex + pageSize < total,
    data,
  });
}

/** The (batch, row) pairs of one page, without building the executions of other pages. */
function pageOf(
  batches: SimBatch[],
  listed: (batch: SimBatch) => number,
  firstIndex: number,
  pageSize: number,
): [SimBatch, number][] {
  const page: [SimBatch, number][] = [];
  let skip = firstIndex;
  for (const batch of batches) {
    const count = listed(batch);
    if (skip >= count) {
      skip -= count;
      continue;
    }
    for (let index = skip; index < count && page.length < pageSize; index += 1) page.push([batch, index]);
    skip = 0;
    if (page.length === pageSize) break;
  }
  return page;
}
