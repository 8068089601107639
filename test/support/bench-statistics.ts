/** The benchmarks' arithmetic, kept apart so that it can be checked on numbers with known answers. */

export interface Percentiles {
  count: number;
  p50Ms: number | undefined;
  p95Ms: number | undefined;
  maxMs: number | undefined;
}

/** Nearest-rank percentiles. */
export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
  return { count: sorted.length, p50Ms: rank(50), p95Ms: rank(95), maxMs: sorted.at(-1) };
}

/** The most arrival times within any 60 s: a window ending at each arrival, as Bolna's sliding limit counts. */
export function peakPerMinute(arrivals: readonly number[]): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let peak = 0;
  let first = 0;
  sorted.forEach((at, last) => {
    while (sorted[first]! <= at - 60_000) first += 1;
    peak = Math.max(peak, last - first + 1);
  });
  return peak;
}
