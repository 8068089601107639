/**
 * How long to wait before polling a running batch again. Every poll is a request from the budget all campaigns
 * share (src/temporal/bolna-budget.ts), so a batch with hours to go is polled rarely and one near its end often. What is
 * known: the batch's rows, the calls already final and how long it has been running (the pace so far); before any
 * call has finished, that the first round of calls (`concurrency` at a time) has taken at least as long as the batch
 * has run. Pure, so it is tested without a worker; workflow code calls it with the campaign's state.
 */
import { assumedConcurrency } from './running-deadline';

export interface PollFacts {
  /** Rows of the batch: one call each (Bolna's own retries aside). */
  rows: number;
  /** Calls the account may have on the line at once (`/user/me`); undefined when Bolna did not say. */
  concurrency: number | undefined;
  /** Calls already in a final status. */
  finishedCalls: number;
  /** Since the batch's start. */
  runningForMs: number;
  /** The shortest wait: the campaign's `pollIntervalSeconds`. */
  minMs: number;
  /** The longest wait, however far the end seems. */
  maxMs: number;
}

/** Ten minutes: a batch's end is seen at most this late even when the estimate is far off. */
export const defaultMaxPollIntervalMs = 10 * 60_000;

/** Poll after this share of the time the batch seems to have left: about four polls over its rest, ever closer. */
const shareOfRemaining = 1 / 4;

export function nextPollDelayMs(facts: PollFacts): number {
  const delayMs = expectedRemainingMs(facts) * shareOfRemaining;
  return Math.min(Math.max(delayMs, facts.minMs), Math.max(facts.maxMs, facts.minMs));
}

/**
 * How long the batch seems to have left. Once a round of calls has finished, at the pace so far (it reflects the
 * real call lengths and the concurrency the account really gives this batch, shared with its other batches).
 * Before that, each round of calls is taken to last as long as the batch has run so far: the first is not over.
 */
function expectedRemainingMs({ rows, concurrency, finishedCalls, runningForMs }: PollFacts): number {
  const callsLeft = Math.max(rows - finishedCalls, 0);
  const elapsedMs = Math.max(runningForMs, 0);
  if (callsLeft === 0) return 0;
  const lines = Math.max(concurrency ?? assumedConcurrency, 1);
  // A pace read from fewer calls than one round is noise (one quick failure, one long talk): until then, rounds.
  if (finishedCalls >= Math.min(lines, rows)) return (callsLeft * elapsedMs) / finishedCalls;
  return (Math.ceil(rows / lines) - 1) * elapsedMs;
}
