import type { CallOutcome, SimulatorSettings } from './settings';

/**
 * When each call of a batch happens and how it ends, fixed when the batch starts. Statuses are then a pure
 * function of the clock, so the simulator needs no timers and works the same on a manual, sped-up or
 * time-skipping clock.
 */
export interface PlannedCall {
  /** When the call is placed (ms); undefined for a row whose number cannot be called. */
  placedAt?: number;
  outcome: CallOutcome;
  ringMs: number;
  talkMs: number;
  postProcessingMs: number;
}

export function pickOutcome(
  weights: SimulatorSettings['calls']['outcomes'],
  random: () => number,
): CallOutcome {
  const entries = Object.entries(weights) as [CallOutcome, number][];
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [outcome, weight] of entries) {
    roll -= weight;
    if (roll < 0) return outcome;
  }
  return 'completed';
}

/** When the line is free again: after the ring for unanswered calls, after the talk for answered ones. */
export function lineFreedAt(call: PlannedCall & { placedAt: number }): number {
  if (call.outcome === 'busy') return call.placedAt + Math.round(call.ringMs / 3);
  if (call.outcome === 'completed') return call.placedAt + call.ringMs + call.talkMs;
  return call.placedAt + call.ringMs;
}

/** When the call reaches its final status. */
export function finishedAt(call: PlannedCall): number {
  if (call.placedAt === undefined) return -Infinity;
  const freed = lineFreedAt({ ...call, placedAt: call.placedAt });
  return call.outcome === 'completed' ? freed + call.postProcessingMs : freed;
}

/**
 * Places the callable rows on `concurrency` lines, each line taking its next call as soon as the previous one
 * hangs up, starting at `startMs`.
 */
export function planCalls(
  callable: readonly boolean[],
  startMs: number,
  settings: SimulatorSettings['calls'],
  random: () => number,
): PlannedCall[] {
  const lines: number[] = Array.from({ length: settings.concurrency }, () => startMs);
  return callable.map((canCall) => {
    const base = {
      outcome: canCall ? pickOutcome(settings.outcomes, random) : ('failed' as const),
      ringMs: settings.ringMs,
      talkMs: settings.talkMs,
      postProcessingMs: settings.postProcessingMs,
    };
    if (!canCall) return base;
    const line = lines.indexOf(Math.min(...lines));
    const call = { ...base, placedAt: lines[line]! };
    lines[line] = lineFreedAt(call);
    return call;
  });
}

/** The call's status at `nowMs`, following Bolna's documented progression. */
export function callStatusAt(call: PlannedCall, batchStartMs: number, nowMs: number): string {
  if (call.placedAt === undefined) return nowMs < batchStartMs ? 'prepared' : 'failed';
  if (nowMs < batchStartMs) return 'prepared';
  if (nowMs < call.placedAt) return 'queued';
  const sinceCall = nowMs - call.placedAt;
  if (sinceCall < Math.min(1_000, call.ringMs / 4)) return 'initiated';
  const freed = lineFreedAt({ ...call, placedAt: call.placedAt });
  if (call.outcome !== 'completed') return nowMs < freed ? 'ringing' : call.outcome;
  if (sinceCall < call.ringMs) return 'ringing';
  if (nowMs < freed) return 'in-progress';
  if (nowMs < freed + call.postProcessingMs) return 'call-disconnected';
  return 'completed';
}
