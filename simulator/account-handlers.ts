import type { SimBatch } from './batch-store';
import { executionView } from './execution-view';
import type { HandlerContext } from './handler-context';
import { badRequest, jsonReply } from './http-reply';
import type { Reply } from './http-reply';
import { knownAgent } from './known-agent';
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
 * `GET /v2/agent/{agent_id}/executions?batch_id=&page_number=&page_size=&from=&to=`: the agent's executions,
 * newest first (optionally one batch's, optionally created within `from`..`to`, at most 7 days apart; in the
 * variant that requires them, both must be given), a page of at most 50. The filters `status`, `call_type`,
 * `provider` and `answered_by_voice_mail` are applied to each execution as it is at that moment.
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
  const filter = executionFilter(query);
  const batchId = query.get('batch_id');
  const batches = store
    .forAgent(knownAgent(context))
    .filter(
      (batch) =>
        (batchId === null || batch.batchId === batchId) &&
        (fromMs === undefined || batch.createdAtMs >= fromMs) &&
        (toMs === undefined || batch.createdAtMs <= toMs),
    );
  const listed = (batch: SimBatch) => listedExecutions(batch, settings.variants, 'agent-listing');
  const view = ([batch, index]: [SimBatch, number]) =>
    executionView(store, batch, index, nowMs, settings.variants);
  const firstIndex = (pageNumber - 1) * pageSize;
  let total: number;
  let data: Record<string, unknown>[];
  if (filter === undefined) {
    total = batches.reduce((sum, batch) => sum + listed(batch), 0);
    data = pageOf(batches, listed, firstIndex, pageSize).map(view);
  } else {
    // Filters look at each execution's state now: every one is built, not just one page's.
    const matching = pageOf(batches, listed, 0, Infinity).map(view).filter(filter);
    total = matching.length;
    data = matching.slice(firstIndex, firstIndex + pageSize);
  }
  return jsonReply(200, {
    page_number: pageNumber,
    page_size: pageSize,
    total,
    has_more: firstIndex + pageSize < total,
    data,
  });
}

type Execution = Record<string, unknown>;

/** The v2 listing's filters as one test of an execution; undefined when the query sets none. */
function executionFilter(query: URLSearchParams): ((execution: Execution) => boolean) | undefined {
  const status = query.get('status');
  const callType = query.get('call_type');
  const provider = query.get('provider');
  const voicemail = query.get('answered_by_voice_mail');
  if (voicemail !== null && voicemail !== 'true' && voicemail !== 'false')
    throw badRequest(`answered_by_voice_mail must be true or false, got '${voicemail}'`);
  if (status === null && callType === null && provider === null && voicemail === null) return undefined;
  return (execution) => {
    const telephony = execution.telephony_data as Execution | null;
    return (
      (status === null || execution.status === status) &&
      (callType === null || telephony?.call_type === callType) &&
      (provider === null || telephony?.provider === provider) &&
      (voicemail === null || String(execution.answered_by_voice_mail) === voicemail)
    );
  };
}

/**
 * The (batch, row) pairs of one page, newest first (batches come newest first; within one, its last row is its
 * newest execution), without building the executions of other pages.
 */
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
    for (let rank = skip; rank < count && page.length < pageSize; rank += 1)
      page.push([batch, count - 1 - rank]);
    skip = 0;
    if (page.length === pageSize) break;
  }
  return page;
}
