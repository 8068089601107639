import { BucketCounts } from '../../src/report/bucket-counts';

/** Bucket counts keep their totals exact while their size stays bounded. */

const total = (groups: { counts: Map<string, number> }[], series: string) =>
  groups.reduce((sum, { counts }) => sum + (counts.get(series) ?? 0), 0);

test('values far apart widen the buckets instead of growing them: at most maxBuckets, every count kept', () => {
  const buckets = new BucketCounts([1, 5, 10, 30, 60], 16);
  for (let value = 0; value < 10_000; value += 1) buckets.add(value, value % 3 === 0 ? 'a' : 'b');
  // 10,000 distinct seconds in 16 buckets: 60-second buckets would need 167, so the width doubled past the list.
  expect(buckets.width).toBe(960);
  const groups = buckets.groups(buckets.width);
  expect(groups.length).toBeLessThanOrEqual(16);
  expect(total(groups, 'a')).toBe(3334);
  expect(total(groups, 'b')).toBe(6666);
  expect(buckets.range).toEqual({ min: 0, max: 9999 });
});

test('groups cover every step from the first value (or `from`) to the last, empty ones included', () => {
  const buckets = new BucketCounts([1]);
  for (const value of [12, 13.5, 47, 47.9]) buckets.add(value, 'calls');
  expect(buckets.groups(10).map(({ start, counts }) => [start, counts.get('calls') ?? 0])).toEqual([
    [10, 2],
    [20, 0],
    [30, 0],
    [40, 2],
  ]);
  expect(buckets.groups(20, 0).map(({ start, counts }) => [start, counts.get('calls') ?? 0])).toEqual([
    [0, 2],
    [20, 0],
    [40, 2],
  ]);
  expect(() => buckets.groups(2.5)).toThrow(/not a multiple/);
  expect(new BucketCounts([1]).groups(10)).toEqual([]);
});

test('the step is the first round one that fits, and a multiple of the width', () => {
  const buckets = new BucketCounts([1, 5, 10], 4);
  for (const value of [0, 100, 200, 300]) buckets.add(value, 'calls');
  expect(buckets.width).toBe(1);
  // 0–300 in at most 24 groups: 15 (21 groups).
  expect(buckets.stepFor([1, 2, 5, 10, 15, 30, 60], 24)).toBe(15);
  // A fifth bucket: past the list (10), the width doubles until the five values share four buckets.
  buckets.add(400, 'calls');
  expect(buckets.width).toBe(160);
  expect(total(buckets.groups(160), 'calls')).toBe(5);
  // No step of the list is a multiple of 160: the step starts at the width.
  expect(buckets.stepFor([1, 2, 5, 10, 15, 30, 60], 100)).toBe(160);
  // Past the list, the last step doubles until it fits: 0–400 in two groups.
  expect(buckets.stepFor([160], 2)).toBe(320);
});
