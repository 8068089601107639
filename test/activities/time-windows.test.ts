import { timeWindows } from '../../src/activities/time-windows';

const day = 24 * 3_600_000;

test('a span shorter than the window is one window', () => {
  expect(timeWindows(0, day, 6 * day)).toEqual([{ from: new Date(0), to: new Date(day) }]);
});

test('a longer span is cut into touching windows, the last one shorter', () => {
  expect(timeWindows(0, 13 * day, 6 * day).map(({ from, to }) => [from.getTime(), to.getTime()])).toEqual([
    [0, 6 * day],
    [6 * day, 12 * day],
    [12 * day, 13 * day],
  ]);
});

test('an empty span is still asked about once, and a window must have a length', () => {
  expect(timeWindows(5, 5, day)).toEqual([{ from: new Date(5), to: new Date(5) }]);
  expect(() => timeWindows(0, day, 0)).toThrow(RangeError);
});
