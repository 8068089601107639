import { ManualClock } from './manual-clock';

/** The clock tests hand the simulator and the activities: it moves only when told. */

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
