const windowMs = 60_000;

/**
 * Bolna's per-organisation request limits, as sliding one-minute windows on the simulator's clock (so a manual
 * clock can cross them). Buckets are named by the caller (one per organisation, one more per organisation for
 * `/v2/`). A refused request does not count.
 */
export class RateLimiter {
  readonly #hits = new Map<string, number[]>();

  /**
   * Counts a request against every bucket when all of them have room; otherwise counts nothing and returns how
   * many milliseconds until the fullest one has room again.
   */
  take(buckets: readonly { name: string; perMinute: number }[], nowMs: number): number | undefined {
    let waitMs = 0;
    for (const { name, perMinute } of buckets) {
      const hits = this.#recent(name, nowMs);
      if (hits.length >= perMinute)
        waitMs = Math.max(waitMs, hits[hits.length - perMinute]! + windowMs - nowMs);
    }
    if (waitMs > 0) return waitMs;
    for (const { name } of buckets) this.#recent(name, nowMs).push(nowMs);
    return undefined;
  }

  #recent(name: string, nowMs: number): number[] {
    const hits = this.#hits.get(name) ?? [];
    const firstRecent = hits.findIndex((at) => at > nowMs - windowMs);
    const recent = firstRecent < 0 ? [] : hits.slice(firstRecent);
    this.#hits.set(name, recent);
    return recent;
  }
}
