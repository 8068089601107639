import { drawBetween } from './random';
import type { Random } from './random';
import type { CallOutcome, SimulatorSettings, StopEffect } from './settings';

/**
 * When each call of a batch happens and how it ends, fixed when the batch is scheduled. A call's status is then a
 * pure function of the clock, so the simulator needs no timers and behaves the same on a manual, sped-up or
 * time-skipping clock.
 */

export type CallStatus =
  | 'prepared'
  | 'queued'
  | 'initiated'
  | 'ringing'
  | 'in-progress'
  | 'call-disconnected'
  | CallOutcome
  | 'balance-low'
  | 'stopped';

const terminalStatuses: ReadonlySet<CallStatus> = new Set([
  'completed',
  'no-answer',
  'busy',
  'failed',
  'balance-low',
  'stopped',
]);

export function isTerminal(status: CallStatus): boolean {
  return terminalStatuses.has(status);
}

export interface PlannedCall {
  /**
   * `uncallable`: the row's number is not E.164, so the call fails at the start without being placed.
   * `balance-low`: the wallet could not pay for it, so it ends at its dial time without being placed.
   */
  readonly outcome: CallOutcome | 'uncallable' | 'balance-low';
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

export interface CallState {
  status: CallStatus;
  /** When the call entered this status. */
  sinceMs: number;
}

/** Which rows can be called, in CSV order, the batch's start and the call settings in force when it was scheduled. */
export interface PlanInput {
  callable: readonly boolean[];
  startsAtMs: number;
  settings: SimulatorSettings['calls'];
  random: Random;
}

/**
 * Places the callable rows in CSV order on `concurrency` lines, each line taking its next call as soon as its
 * previous one hangs up, and no two placements closer than `spacingMs`.
 */
export function planCalls({ callable, startsAtMs, settings, random }: PlanInput): PlannedCall[] {
  const lineFreeAtMs: number[] = Array.from({ length: settings.concurrency }, () => startsAtMs);
  let previousDialMs = startsAtMs - settings.spacingMs;
  return callable.map((canCall): PlannedCall => {
    if (!canCall) {
      return {
        outcome: 'uncallable',
        dialAtMs: startsAtMs,
        ringAtMs: startsAtMs,
        answerAtMs: undefined,
        hangupAtMs: startsAtMs,
        doneAtMs: startsAtMs,
        hangupBy: undefined,
      };
    }
    const outcome = pickOutcome(settings.outcomes, random);
    const [dialMs, ringMs, talkMs, postProcessingMs] = [
      settings.dialMs,
      settings.ringMs,
      settings.talkMs,
      settings.postProcessingMs,
    ].map((range) => drawBetween(random, range)) as [number, number, number, number];
    const agentHangsUp = random() < 0.5;

    const line = lineFreeAtMs.indexOf(Math.min(...lineFreeAtMs));
    const dialAtMs = Math.max(lineFreeAtMs[line]!, previousDialMs + settings.spacingMs);
    const ringAtMs = dialAtMs + dialMs;
    const call = plannedOutcome(outcome, ringAtMs, ringMs, talkMs, postProcessingMs, agentHangsUp);
    lineFreeAtMs[line] = call.hangupAtMs;
    previousDialMs = dialAtMs;
    return { outcome, dialAtMs, ringAtMs, ...call };
  });
}

/**
 * Pays for the planned calls from the wallet in dial order, each with its whole conversation's cost, and turns the
 * calls it can no longer pay for (balance at or below zero) into `balance-low`. Returns the calls and the charge.
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
      const { dialAtMs } = call;
      charged[index] = {
        outcome: 'balance-low',
        dialAtMs,
        ringAtMs: dialAtMs,
        answerAtMs: undefined,
        hangupAtMs: dialAtMs,
        doneAtMs: dialAtMs,
        hangupBy: undefined,
      };
      continue;
    }
    const talkMs = call.answerAtMs === undefined ? 0 : call.hangupAtMs - call.answerAtMs;
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
): Pick<PlannedCall, 'answerAtMs' | 'hangupAtMs' | 'doneAtMs' | 'hangupBy'> {
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

function pickOutcome(weights: SimulatorSettings['calls']['outcomes'], random: Random): CallOutcome {
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

/** The statuses a call goes through, with when each begins, following Bolna's documented progression. */
function timeline(call: PlannedCall, startsAtMs: number): CallState[] {
  if (call.outcome === 'uncallable') return [{ status: 'failed', sinceMs: startsAtMs }];
  if (call.outcome === 'balance-low') {
    return [
      { status: 'queued', sinceMs: startsAtMs },
      { status: 'balance-low', sinceMs: call.dialAtMs },
    ];
  }
  const steps: CallState[] = [
    { status: 'queued', sinceMs: startsAtMs },
    { status: 'initiated', sinceMs: call.dialAtMs },
    { status: 'ringing', sinceMs: call.ringAtMs },
  ];
  if (call.answerAtMs === undefined) {
    steps.push({ status: call.outcome, sinceMs: call.doneAtMs });
  } else {
    steps.push(
      { status: 'in-progress', sinceMs: call.answerAtMs },
      { status: 'call-disconnected', sinceMs: call.hangupAtMs },
      { status: 'completed', sinceMs: call.doneAtMs },
    );
  }
  return steps;
}

/**
 * When a stop of the batch cuts this call short: at the stop, unless the call was already placed (initiated or
 * further) and the stop lets placed calls run to their end. `undefined`: nothing cuts it short.
 */
export function cutOffMs(
  call: PlannedCall | undefined,
  stop: { readonly atMs: number; readonly effect: StopEffect } | undefined,
): number | undefined {
  if (stop === undefined) return undefined;
  const placed = call !== undefined && call.dialAtMs <= stop.atMs;
  return placed && stop.effect === 'connected-calls-finish' ? undefined : stop.atMs;
}

/**
 * A call's state at `atMs`. Before the batch is scheduled, or before its start, every call is `prepared`; once
 * the call is cut off (see `cutOffMs`), it ends `stopped` unless it was already final, which keeps its result.
 */
export function callStateAt(
  call: PlannedCall | undefined,
  batch: { createdAtMs: number; startsAtMs: number | undefined },
  cutOffAtMs: number | undefined,
  atMs: number,
): CallState {
  const horizonMs = Math.min(atMs, cutOffAtMs ?? Infinity);
  let state: CallState = { status: 'prepared', sinceMs: batch.createdAtMs };
  if (call && batch.startsAtMs !== undefined) {
    for (const step of timeline(call, batch.startsAtMs)) if (step.sinceMs <= horizonMs) state = step;
  }
  if (cutOffAtMs !== undefined && atMs >= cutOffAtMs && !isTerminal(state.status)) {
    return { status: 'stopped', sinceMs: cutOffAtMs };
  }
  return state;
}

/** Milliseconds of conversation up to `atMs` (0 for a call never answered); a cut-off ends the conversation. */
export function talkedMs(
  call: PlannedCall | undefined,
  atMs: number,
  cutOffAtMs: number | undefined,
): number {
  if (call?.answerAtMs === undefined) return 0;
  const endMs = Math.min(atMs, call.hangupAtMs, cutOffAtMs ?? Infinity);
  return Math.max(0, endMs - call.answerAtMs);
}
