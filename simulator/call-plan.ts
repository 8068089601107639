import { Heap } from '@datastructures-js/heap';
import type { LocalTimeRules } from './local-time-rules';
import { drawBetween } from './random';
import type { Random } from './random';
import { retryIntervalMs } from './retry-policy';
import type { RetryPolicy } from './retry-policy';
import type { CallOutcome, OutcomeMix, SimulatorSettings, StopEffect } from './settings';

/**
 * When each call of a batch happens and how it ends, fixed when the batch is scheduled. A call's status is then a
 * pure function of the clock, so the simulator needs no timers and behaves the same on a manual, sped-up or
 * time-skipping clock.
 */

export type CallStatus =
  | 'prepared'
  | 'queued'
  | 'scheduled'
  | 'rescheduled'
  | 'initiated'
  | 'ringing'
  | 'in-progress'
  | 'call-disconnected'
  | CallOutcome
  | 'balance-low'
  | 'stopped'
  | 'canceled';

const terminalStatuses: ReadonlySet<CallStatus> = new Set([
  'completed',
  'no-answer',
  'busy',
  'failed',
  'balance-low',
  'stopped',
  'canceled',
]);

export function isTerminal(status: CallStatus): boolean {
  return terminalStatuses.has(status);
}

/** One placement of a call: its first, or one of Bolna's own retries. */
export interface PlannedAttempt {
  /**
   * `uncallable`: the row's number is not E.164, so the call fails at the start without being placed.
   * `balance-low`: the wallet could not pay for it, so it ends at its dial time without being placed.
   */
  readonly outcome: CallOutcome | 'uncallable' | 'balance-low';
  /**
   * When the attempt was due to be placed; before `dialAtMs` when the agent's guardrails held it back, and the call
   * is `rescheduled` in between.
   */
  readonly dueAtMs: number;
  /** Placed (`initiated`). */
  readonly dialAtMs: number;
  readonly ringAtMs: number;
  /** Answered (`in-progress`); only for completed calls. */
  readonly answerAtMs: number | undefined;
  /** The line is free again: hang-up of an answered call, or the end of an unanswered one. */
  readonly hangupAtMs: number;
  /** The final status is reached (for answered calls after post-processing). */
  readonly doneAtMs: number;
  readonly hangupBy: 'Callee' | 'Agent' | undefined;
}

/** A call: its first attempt, and the retries Bolna places after it under the batch's `retry_config`. */
export interface PlannedCall extends PlannedAttempt {
  /**
   * In order. After an attempt that ends in a status to retry on, the call goes back to `scheduled` at once and is
   * placed again the policy's interval later. Retries do not queue for the batch's lines: at Bolna's intervals
   * (30 minutes and up) the lines are long free.
   */
  readonly retries: readonly PlannedAttempt[];
}

export function attemptsOf(call: PlannedCall): readonly PlannedAttempt[] {
  return [call, ...call.retries];
}

/** When the call's last attempt reaches its final status. */
export function finalDoneAtMs(call: PlannedCall): number {
  return (call.retries.at(-1) ?? call).doneAtMs;
}

export interface CallState {
  status: CallStatus;
  /** When the call entered this status. */
  sinceMs: number;
  /** The attempt the status belongs to: 0 for the first, 1 for Bolna's first retry, ... */
  attempt: number;
  /** When the batch's end (a stop, or Bolna giving the batch up) froze this attempt where it was, if it does. */
  frozenAtMs: number | undefined;
}

/**
 * How a batch ended early: stopped (what the stop does to calls already placed is `effect`), or given up by Bolna
 * (it ends every call at once). Calls not final by then end with `callStatus`.
 */
export interface BatchEnd {
  readonly atMs: number;
  readonly effect: StopEffect;
  readonly callStatus: 'stopped' | 'canceled';
}

/**
 * Which rows can be called, in CSV order, the batch's start and the call settings in force when it was scheduled,
 * what the recipients' local time decides (guardrails, outcome mixes), and Bolna's own retries if the batch asked
 * for them (drawn from a stream of their own, so that turning retries on does not change the first attempts).
 */
export interface PlanInput {
  callable: readonly boolean[];
  startsAtMs: number;
  settings: SimulatorSettings['calls'];
  rules: LocalTimeRules;
  random: Random;
  retries?: { policy: RetryPolicy; random: Random } | undefined;
}

/** A call the guardrails held back: `row` may be placed from `readyAtMs`; it was first due at `dueAtMs`. */
interface HeldCall {
  readonly row: number;
  readonly readyAtMs: number;
  readonly dueAtMs: number;
}

/**
 * Places the callable rows in CSV order on `concurrency` lines, each line taking its next call as soon as its
 * previous one hangs up, and no two placements closer than `spacingMs`. A call the guardrails hold back takes no
 * line: it rejoins the queue when they open, behind the calls waiting since the start (earliest opening first,
 * then in CSV order), and is held back again if the lines are still busy when they close.
 */
export function planCalls({
  callable,
  startsAtMs,
  settings,
  rules,
  random,
  retries,
}: PlanInput): PlannedCall[] {
  const lineFreeAtMs: number[] = Array.from({ length: settings.concurrency }, () => startsAtMs);
  let previousDialMs = startsAtMs - settings.spacingMs;
  const calls = callable.map((canCall) => (canCall ? undefined : uncallable(startsAtMs)));
  const held = new Heap<HeldCall>((a, b) => a.readyAtMs - b.readyAtMs || a.row - b.row);
  const place = (row: number, readyAtMs: number, dueAtMs: number | undefined) => {
    const line = lineFreeAtMs.indexOf(Math.min(...lineFreeAtMs));
    const dialAtMs = Math.max(readyAtMs, lineFreeAtMs[line]!, previousDialMs + settings.spacingMs);
    const placeableAtMs = rules.placeableAtMs(row, dialAtMs);
    if (placeableAtMs > dialAtMs) {
      held.push({ row, readyAtMs: placeableAtMs, dueAtMs: dueAtMs ?? dialAtMs });
      return;
    }
    const outcomes = rules.outcomesAt(row, dialAtMs, false);
    const first = plannedAttempt(dueAtMs ?? dialAtMs, dialAtMs, outcomes, settings, random);
    lineFreeAtMs[line] = first.hangupAtMs;
    previousDialMs = dialAtMs;
    calls[row] = { ...first, retries: retries ? plannedRetries(row, first, settings, rules, retries) : [] };
  };
  callable.forEach((canCall, row) => {
    if (canCall) place(row, startsAtMs, undefined);
  });
  for (let next = held.pop(); next !== null; next = held.pop()) place(next.row, next.readyAtMs, next.dueAtMs);
  // Every callable row was placed above: the loop ends only once no call is held back.
  return calls as PlannedCall[];
}

/** A row whose number is not E.164: it fails at the start, never placed. */
function uncallable(startsAtMs: number): PlannedCall {
  return {
    outcome: 'uncallable',
    dueAtMs: startsAtMs,
    dialAtMs: startsAtMs,
    ringAtMs: startsAtMs,
    answerAtMs: undefined,
    hangupAtMs: startsAtMs,
    doneAtMs: startsAtMs,
    hangupBy: undefined,
    retries: [],
  };
}

/** One placement at `dialAtMs` (due at `dueAtMs`): its outcome and durations drawn from `random`. */
function plannedAttempt(
  dueAtMs: number,
  dialAtMs: number,
  outcomes: OutcomeMix,
  settings: SimulatorSettings['calls'],
  random: Random,
): PlannedAttempt {
  const outcome = pickOutcome(outcomes, random);
  const [dialMs, ringMs, talkMs, postProcessingMs] = [
    settings.dialMs,
    settings.ringMs,
    settings.talkMs,
    settings.postProcessingMs,
  ].map((range) => drawBetween(random, range)) as [number, number, number, number];
  const agentHangsUp = random() < 0.5;
  const ringAtMs = dialAtMs + dialMs;
  return {
    outcome,
    dueAtMs,
    dialAtMs,
    ringAtMs,
    ...plannedOutcome(outcome, ringAtMs, ringMs, talkMs, postProcessingMs, agentHangsUp),
  };
}

/**
 * Bolna's retries of row `row` after `first`, while the attempt before ended in a status the policy retries on;
 * a retry due outside the guardrails is placed when they next open.
 */
function plannedRetries(
  row: number,
  first: PlannedAttempt,
  settings: SimulatorSettings['calls'],
  rules: LocalTimeRules,
  { policy, random }: { policy: RetryPolicy; random: Random },
): PlannedAttempt[] {
  const retries: PlannedAttempt[] = [];
  let previous = first;
  while (retries.length < policy.maxRetries && policy.onStatuses.has(previous.outcome)) {
    const dueAtMs = previous.doneAtMs + retryIntervalMs(policy, retries.length);
    const dialAtMs = rules.placeableAtMs(row, dueAtMs);
    previous = plannedAttempt(dueAtMs, dialAtMs, rules.outcomesAt(row, dialAtMs, true), settings, random);
    retries.push(previous);
  }
  return retries;
}

/**
 * Pays for the planned calls from the wallet in dial order, each with the cost of every conversation its attempts
 * will have, and turns the calls it can no longer pay for (balance at or below zero) into `balance-low`, never
 * retried. Returns the calls and the charge.
 */
export function chargeWallet(
  calls: readonly PlannedCall[],
  wallet: { walletCents: number },
  costCentsPerMinute: number,
): { calls: PlannedCall[]; chargedCents: number } {
  const charged = [...calls];
  let chargedCents = 0;
  const inDialOrder = calls
    .map((call, index) => ({ call, index }))
    .sort((a, b) => a.call.dialAtMs - b.call.dialAtMs);
  for (const { call, index } of inDialOrder) {
    if (call.outcome === 'uncallable') continue;
    if (wallet.walletCents <= 0) {
      const { dueAtMs, dialAtMs } = call;
      charged[index] = {
        outcome: 'balance-low',
        dueAtMs,
        dialAtMs,
        ringAtMs: dialAtMs,
        answerAtMs: undefined,
        hangupAtMs: dialAtMs,
        doneAtMs: dialAtMs,
        hangupBy: undefined,
        retries: [],
      };
      continue;
    }
    const talkMs = attemptsOf(call).reduce((sum, attempt) => sum + talkedMs(attempt, Infinity, undefined), 0);
    const cost = (talkMs / 60_000) * costCentsPerMinute;
    wallet.walletCents -= cost;
    chargedCents += cost;
  }
  return { calls: charged, chargedCents };
}

function plannedOutcome(
  outcome: CallOutcome,
  ringAtMs: number,
  ringMs: number,
  talkMs: number,
  postProcessingMs: number,
  agentHangsUp: boolean,
): Pick<PlannedAttempt, 'answerAtMs' | 'hangupAtMs' | 'doneAtMs' | 'hangupBy'> {
  if (outcome === 'completed') {
    const answerAtMs = ringAtMs + ringMs;
    const hangupAtMs = answerAtMs + talkMs;
    return {
      answerAtMs,
      hangupAtMs,
      doneAtMs: hangupAtMs + postProcessingMs,
      hangupBy: agentHangsUp ? 'Agent' : 'Callee',
    };
  }
  // A busy line answers with a busy tone quickly; a failure shows after a while; a no-answer rings out.
  const rangFor = { busy: Math.round(ringMs / 3), failed: Math.round(ringMs / 2), 'no-answer': ringMs }[
    outcome
  ];
  const endMs = ringAtMs + rangFor;
  return { answerAtMs: undefined, hangupAtMs: endMs, doneAtMs: endMs, hangupBy: undefined };
}

function pickOutcome(weights: OutcomeMix, random: Random): CallOutcome {
  const entries = Object.entries(weights) as [CallOutcome, number][];
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [outcome, weight] of entries) {
    if (roll < weight) return outcome;
    roll -= weight;
  }
  // Only reachable through floating-point rounding at the very top of the range.
  return entries.filter(([, weight]) => weight > 0).at(-1)![0];
}

type Step = Omit<CallState, 'frozenAtMs'>;

/**
 * The statuses a call goes through, with when each begins, following Bolna's documented progression; each of
 * Bolna's retries begins `scheduled` (again) the moment the attempt before it ends, and an attempt the guardrails
 * held back is `rescheduled` from when it was due until it is placed.
 */
function timeline(call: PlannedCall, startsAtMs: number): Step[] {
  if (call.outcome === 'uncallable') return [{ status: 'failed', sinceMs: startsAtMs, attempt: 0 }];
  if (call.outcome === 'balance-low') {
    return [
      { status: 'queued', sinceMs: startsAtMs, attempt: 0 },
      ...(call.dueAtMs < call.dialAtMs
        ? [{ status: 'rescheduled' as const, sinceMs: call.dueAtMs, attempt: 0 }]
        : []),
      { status: 'balance-low', sinceMs: call.dialAtMs, attempt: 0 },
    ];
  }
  const steps: Step[] = [{ status: 'queued', sinceMs: startsAtMs, attempt: 0 }];
  attemptsOf(call).forEach((attempt, index, attempts) => {
    const step = (status: CallStatus, sinceMs: number) => steps.push({ status, sinceMs, attempt: index });
    const previous = attempts[index - 1];
    if (previous !== undefined) step('scheduled', previous.doneAtMs);
    if (attempt.dueAtMs < attempt.dialAtMs) step('rescheduled', attempt.dueAtMs);
    step('initiated', attempt.dialAtMs);
    step('ringing', attempt.ringAtMs);
    if (attempt.answerAtMs === undefined) {
      // A placed attempt's outcome is a call status: the unplaced kinds (uncallable, balance-low) returned above.
      step(attempt.outcome as CallStatus, attempt.doneAtMs);
    } else {
      step('in-progress', attempt.answerAtMs);
      step('call-disconnected', attempt.hangupAtMs);
      step('completed', attempt.doneAtMs);
    }
  });
  return steps;
}

/**
 * A call's state at `atMs`. Before the batch is scheduled, or before its start, every call is `prepared`. When
 * the batch ends early (`end`), an attempt already placed runs on if the stop lets placed calls finish (and no
 * retry follows it); otherwise the call is frozen where it was and, unless already final (which keeps its result),
 * ends with the end's call status: a retry still waiting is never placed.
 */
export function callStateAt(
  call: PlannedCall | undefined,
  batch: { createdAtMs: number; startsAtMs: number | undefined },
  end: BatchEnd | undefined,
  atMs: number,
): CallState {
  const prepared: Step = { status: 'prepared', sinceMs: batch.createdAtMs, attempt: 0 };
  const steps = call && batch.startsAtMs !== undefined ? timeline(call, batch.startsAtMs) : [];
  const reached = (limitMs: number, lastAttempt = Infinity): Step =>
    steps.filter((step) => step.sinceMs <= limitMs && step.attempt <= lastAttempt).at(-1) ?? prepared;
  if (end === undefined) return { ...reached(atMs), frozenAtMs: undefined };

  const atEnd = reached(end.atMs);
  const attempt = call === undefined || steps.length === 0 ? undefined : attemptsOf(call)[atEnd.attempt];
  const placed = attempt !== undefined && attempt.dialAtMs <= end.atMs;
  if (placed && end.effect === 'connected-calls-finish') {
    return { ...reached(atMs, atEnd.attempt), frozenAtMs: undefined };
  }
  const state = reached(Math.min(atMs, end.atMs));
  if (atMs >= end.atMs && !isTerminal(state.status)) {
    return { status: end.callStatus, sinceMs: end.atMs, attempt: state.attempt, frozenAtMs: end.atMs };
  }
  return { ...state, frozenAtMs: end.atMs };
}

/** Milliseconds of an attempt's conversation up to `atMs` (0 if never answered); a freeze ends the conversation. */
export function talkedMs(
  attempt: PlannedAttempt | undefined,
  atMs: number,
  frozenAtMs: number | undefined,
): number {
  if (attempt?.answerAtMs === undefined) return 0;
  const endMs = Math.min(atMs, attempt.hangupAtMs, frozenAtMs ?? Infinity);
  return Math.max(0, endMs - attempt.answerAtMs);
}
