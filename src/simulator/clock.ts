import type { Clock } from '../clock';

/** A clock tests move by hand, so a batch's whole life can be walked through in milliseconds. */
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

/** A clock that starts at the real time and runs `factor` times faster, for soak runs of long batches. */
export function scaledClock(factor: number, startMs: number = Date.now()): Clock {
  if (!(factor > 0)) throw new RangeError('factor must be positive');
  const realStart = Date.now();
  return { now: () => startMs + (Date.now() - realStart) * factor };
}
