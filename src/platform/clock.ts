/**
 * A source of "now" in epoch milliseconds. Production uses the system clock; tests hand the simulator and the
 * activities a clock they control (or Temporal's time-skipping clock, which is only readable asynchronously).
 */
export interface Clock {
  now(): number | Promise<number>;
}

export const systemClock: Clock = { now: () => Date.now() };
