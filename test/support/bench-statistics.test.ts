import { peakPerMinute, percentiles } from './bench-statistics';

test('percentiles are nearest-rank: of 1..100 ms, p50 is 50 and p95 is 95, in any order', () => {
  const values = Array.from({ length: 100 }, (_, index) => 100 - index);
  expect(percentiles(values)).toEqual({ count: 100, p50Ms: 50, p95Ms: 95, maxMs: 100 });
  expect(percentiles([7])).toEqual({ count: 1, p50Ms: 7, p95Ms: 7, maxMs: 7 });
  expect(percentiles([])).toEqual({ count: 0, p50Ms: undefined, p95Ms: undefined, maxMs: undefined });
});

test('the peak per minute is the fullest window of 60 s, wherever it falls, whatever the order', () => {
  const second = 1_000;
  // Three early, five from 100 s to 159 s (160 s no longer counts 100 s), then one more at 219 s.
  const arrivals = [0, 1, 2, 100, 110, 120, 150, 159, 160, 219].map((s) => s * second);
  expect(peakPerMinute(arrivals.reverse())).toBe(5);
  // Exactly 60 s apart: no longer in the same sliding minute.
  expect(peakPerMinute([0, 60 * second])).toBe(1);
  expect(peakPerMinute([])).toBe(0);
});
