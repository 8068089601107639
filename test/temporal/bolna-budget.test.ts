import { bolnaQueueRates, requestsPerCallActivity } from '../../src/temporal/bolna-budget';

/** The most requests a minute can hold at these start rates: 60 s of starts plus a second's burst. */
function worstMinute(requestsPerMinute: number): { polls: number; calls: number } {
  const { pollsPerSecond, callsPerSecond } = bolnaQueueRates(requestsPerMinute);
  return { polls: pollsPerSecond * 61, calls: callsPerSecond * 61 * requestsPerCallActivity };
}

test.each([900, 1000, 60, 7])('a budget of %i a minute is never exceeded, bursts included', (perMinute) => {
  const { polls, calls } = worstMinute(perMinute);
  expect(polls + calls).toBeLessThanOrEqual(perMinute + 1e-9);
  expect(polls + calls).toBeGreaterThan(perMinute * 0.99);
});

test('polls get a quarter of the budget, the steps that change or collect a batch the rest', () => {
  const { polls, calls } = worstMinute(900);
  expect(polls).toBeCloseTo(225);
  expect(calls).toBeCloseTo(675);
});
