import type { Clock } from '../clock';

/** A clock tests move by hand, so a batch's whole life can be walked through in milliseconds of real time. */
export class ManualClock implements Clock {
  #nowMs: number;

  constructor(startMs: number = Date.now()) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  advance(ms: number): void {
    if (ms < 0) throw new RangeError('a clock cannot go backwards');
    this.#nowMs += ms;
  }

  set(ms: number): void {
    if (ms < this.#nowMs) throw new RangeError('a clock cannot go backwards');
    this.#nowMs = ms;
  }
}

/**
 * A clock that starts at `startMs` and runs `factor` times faster than real time, for soak runs of long batches.
 * Measured with the monotonic performance clock, so a change of the system time cannot make it jump.
 */
export function scaledClock(factor: number, startMs: number = Date.now()): Clock {
  if (!(factor > 0) || !Number.isFinite(factor)) throw new RangeError('factor must be a positive number');
  const realStart = performance.now();
  return { now: () => startMs + Math.floor((performance.now() - realStart) * factor) };
}
