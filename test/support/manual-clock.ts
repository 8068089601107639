import type { Clock } from '../../src/platform/clock';

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
