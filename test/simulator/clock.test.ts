import { ManualClock, scaledClock } from '../../src/simulator/clock';

/** The clocks tests hand the simulator: one moved by hand, one that runs faster than real time. */

test('a manual clock moves only when told, and never backwards', () => {
  const clock = new ManualClock(1_000);
  expect(clock.now()).toBe(1_000);
  clock.advance(500);
  expect(clock.now()).toBe(1_500);
  clock.set(10_000);
  expect(clock.now()).toBe(10_000);
  expect(() => clock.set(9_999)).toThrow(RangeError);
  expect(() => clock.advance(-1)).toThrow(RangeError);
  expect(clock.now()).toBe(10_000);
});

test('a scaled clock starts where told and runs `factor` times faster than real time', () => {
  const realStart = performance.now();
  const clock = scaledClock(1_000, 0);
  // Busy-wait a few real milliseconds: no timers involved, so nothing to race with.
  while (performance.now() - realStart < 5);
  const simulated = clock.now() as number;
  const realElapsed = performance.now() - realStart;
  expect(simulated).toBeGreaterThanOrEqual(4_000);
  expect(simulated).toBeLessThanOrEqual(realElapsed * 1_000);
  expect(() => scaledClock(0)).toThrow(RangeError);
  expect(() => scaledClock(Number.POSITIVE_INFINITY)).toThrow(RangeError);
});
