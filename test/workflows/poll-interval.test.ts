import { defaultMaxPollIntervalMs, nextPollDelayMs } from '../../src/workflows/poll-interval';
import type { PollFacts } from '../../src/workflows/poll-interval';

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;

/** A batch of 10,000 rows on an account with 10 calls at once, polled at least every 30 s and at most every 10 min. */
const large: PollFacts = {
  rows: 10_000,
  concurrency: 10,
  finishedCalls: 0,
  runningForMs: 0,
  minMs: 30 * second,
  maxMs: defaultMaxPollIntervalMs,
};

test('just started, nothing known yet: polled at the shortest interval', () => {
  expect(nextPollDelayMs(large)).toBe(30 * second);
});

test('a large batch with hours to go is polled at the longest interval', () => {
  // 1,000 calls in 2 hours: 9,000 left at that pace is 18 hours.
  expect(nextPollDelayMs({ ...large, finishedCalls: 1_000, runningForMs: 2 * hour })).toBe(10 * minute);
  // Nothing finished after 5 minutes: each of its 1,000 rounds takes at least that long.
  expect(nextPollDelayMs({ ...large, runningForMs: 5 * minute })).toBe(10 * minute);
});

test('polls come closer as the expected end nears, down to the shortest interval', () => {
  const delays = [9_000, 9_900, 9_980, 9_999].map((finishedCalls) =>
    nextPollDelayMs({ ...large, finishedCalls, runningForMs: (finishedCalls / 10_000) * 20 * hour }),
  );
  // 2 h, 12 min, 2.4 min and 7 s left at the pace so far: a quarter of that, within the bounds.
  expect(delays).toEqual([10 * minute, 3 * minute, 36 * second, 30 * second]);
});

test('the observed pace decides, not the concurrency: a batch sharing the account with others goes slower, and is polled so', () => {
  const sharing = { ...large, rows: 400, finishedCalls: 100, runningForMs: 10 * minute };
  // 300 left at 10 calls a minute (not the 10 at once, ~2 minutes each, that the account allows): 30 min, a quarter.
  expect(nextPollDelayMs(sharing)).toBe(7.5 * minute);
  // The same 100 calls in 4 minutes: 12 minutes left.
  expect(nextPollDelayMs({ ...sharing, runningForMs: 4 * minute })).toBe(3 * minute);
});

test('before any call has finished, the concurrency tells how many rounds are left', () => {
  const small = { ...large, rows: 30, concurrency: 10, runningForMs: 4 * minute };
  // 3 rounds, the first taking at least 4 minutes: at least 8 minutes left, polled after 2.
  expect(nextPollDelayMs(small)).toBe(2 * minute);
  // One round only: it may end at any moment.
  expect(nextPollDelayMs({ ...small, concurrency: 50 })).toBe(30 * second);
  // Bolna did not say: 10 at once, as its default plan.
  expect(nextPollDelayMs({ ...small, concurrency: undefined })).toBe(2 * minute);
});

test('a pace read from less than one round of calls is not trusted: one quick failure does not mean hours to go', () => {
  const small = { ...large, rows: 20, concurrency: 4, runningForMs: 30 * second, minMs: 2 * second };
  // At one call in 30 s, 19 calls would take 9.5 minutes; but the first round is still on the line: 4 rounds left.
  expect(nextPollDelayMs({ ...small, finishedCalls: 1 })).toBe(30 * second);
  expect(nextPollDelayMs({ ...small, finishedCalls: 4 })).toBe(30 * second); // 16 left at 4 per 30 s: 2 min
});

test('every call final (the batch not yet reported done) or more than the rows: the shortest interval', () => {
  expect(nextPollDelayMs({ ...large, finishedCalls: 10_000, runningForMs: 20 * hour })).toBe(30 * second);
  expect(nextPollDelayMs({ ...large, finishedCalls: 10_500, runningForMs: 20 * hour })).toBe(30 * second);
});

test('bounded both ways, also when the shortest interval is set above the longest', () => {
  const cases: Partial<PollFacts>[] = [
    { finishedCalls: 1, runningForMs: 100 * hour },
    { finishedCalls: 9_999, runningForMs: 1 },
    { rows: 0 },
    { runningForMs: -5 * minute }, // a clock read just before the start
  ];
  for (const facts of cases) {
    const delay = nextPollDelayMs({ ...large, ...facts });
    expect(delay).toBeGreaterThanOrEqual(30 * second);
    expect(delay).toBeLessThanOrEqual(10 * minute);
  }
  expect(nextPollDelayMs({ ...large, minMs: 20 * minute, finishedCalls: 1, runningForMs: hour })).toBe(
    20 * minute,
  );
});
