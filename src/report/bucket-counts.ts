/**
 * Counts per series in buckets of one width along a number line (seconds of talk time, or seconds since the epoch),
 * with a bounded number of buckets: when one more non-empty bucket would pass `maxBuckets`, the width grows to the
 * next of `widths` (each a multiple of the one before; past the last, it doubles) and neighbouring buckets merge.
 * So memory stays bounded however many values come and however far apart they lie, while a typical campaign keeps
 * its finest resolution.
 */
export class BucketCounts {
  readonly #widths: readonly number[];
  readonly #maxBuckets: number;
  #width: number;
  /** Bucket index (value / width, floored) → series → count. */
  #buckets = new Map<number, Map<string, number>>();
  #min = Infinity;
  #max = -Infinity;

  constructor(widths: readonly number[], maxBuckets = 4096) {
    if (widths.length === 0) throw new Error('BucketCounts needs at least one width');
    this.#widths = widths;
    this.#maxBuckets = maxBuckets;
    this.#width = widths[0]!;
  }

  /** The current bucket width: a grouping coarser than this must be a multiple of it. */
  get width(): number {
    return this.#width;
  }

  /** The smallest and largest value added (undefined before the first). */
  get range(): { min: number; max: number } | undefined {
    return this.#min <= this.#max ? { min: this.#min, max: this.#max } : undefined;
  }

  add(value: number, series: string, count = 1): void {
    this.#min = Math.min(this.#min, value);
    this.#max = Math.max(this.#max, value);
    while (!this.#buckets.has(this.#indexOf(value)) && this.#buckets.size >= this.#maxBuckets)
      this.#coarsen();
    const index = this.#indexOf(value);
    let bucket = this.#buckets.get(index);
    if (!bucket) this.#buckets.set(index, (bucket = new Map<string, number>()));
    bucket.set(series, (bucket.get(series) ?? 0) + count);
  }

  /**
   * The counts regrouped into buckets of `step` (a multiple of `width`), each from the first non-empty one to the
   * last, empty ones included; `from` fixes where the first starts (e.g. 0 for a histogram of lengths).
   */
  groups(step: number, from?: number): { start: number; counts: Map<string, number> }[] {
    const range = this.range;
    if (!range) return [];
    if (step % this.#width !== 0)
      throw new Error(`step ${step} is not a multiple of the width ${this.#width}`);
    const first = Math.floor((from ?? range.min) / step);
    const last = Math.floor(range.max / step);
    const groups = Array.from({ length: last - first + 1 }, (_, i) => ({
      start: (first + i) * step,
      counts: new Map<string, number>(),
    }));
    for (const [index, bucket] of this.#buckets) {
      const group = groups[Math.floor((index * this.#width) / step) - first]!;
      for (const [series, count] of bucket) group.counts.set(series, (group.counts.get(series) ?? 0) + count);
    }
    return groups;
  }

  /**
   * The first of `steps` (ascending; past the last, it doubles) that is a multiple of the width and groups the
   * range into at most `maxGroups` buckets.
   */
  stepFor(steps: readonly number[], maxGroups: number, from?: number): number {
    const range = this.range ?? { min: 0, max: 0 };
    const low = from ?? range.min;
    const fits = (step: number) =>
      step % this.#width === 0 && Math.floor(range.max / step) - Math.floor(low / step) + 1 <= maxGroups;
    const found = steps.find(fits);
    if (found !== undefined) return found;
    let step = Math.max(steps[steps.length - 1] ?? 1, this.#width);
    while (!fits(step)) step *= 2;
    return step;
  }

  #indexOf(value: number): number {
    return Math.floor(value / this.#width);
  }

  #coarsen(): void {
    // Past the list (the width is none of its entries, or its last), the width doubles.
    const position = this.#widths.indexOf(this.#width);
    const next = (position >= 0 ? this.#widths[position + 1] : undefined) ?? this.#width * 2;
    const merged = new Map<number, Map<string, number>>();
    for (const [index, bucket] of this.#buckets) {
      const mergedIndex = Math.floor((index * this.#width) / next);
      let target = merged.get(mergedIndex);
      if (!target) merged.set(mergedIndex, (target = new Map<string, number>()));
      for (const [series, count] of bucket) target.set(series, (target.get(series) ?? 0) + count);
    }
    this.#width = next;
    this.#buckets = merged;
  }
}
