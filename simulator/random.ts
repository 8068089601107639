/**
 * A small seeded PRNG (mulberry32), so a simulator started with the same seed places the same calls with the same
 * outcomes and injects the same random faults in every run: a failing test can be replayed.
 */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One seed from several numbers (the simulator's seed and, say, a batch's sequence number), so each batch gets
 * its own stream: its plan does not depend on how many other batches drew numbers before it.
 */
export function mixSeeds(...parts: number[]): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    hash = Math.imul(hash ^ (part >>> 0), 0x01000193);
    hash = Math.imul(hash ^ (hash >>> 13), 0x5bd1e995);
  }
  return (hash ^ (hash >>> 15)) >>> 0;
}

/** A whole number of milliseconds drawn uniformly from the range, ends included. */
export function drawBetween(random: Random, range: { min: number; max: number }): number {
  return range.min + Math.floor(random() * (range.max - range.min + 1));
}
