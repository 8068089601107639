import { bolnaScheduleRules, chooseScheduledAt, roundUpToMark } from '../../src/activities/schedule-time';
import { parseBolnaTimestamp, toBolnaTimestamp } from '../../src/bolna/timestamps';
import { parseRetryAfter } from '../../src/bolna/retry-after';

const at = (iso: string) => Date.parse(iso);

describe("Bolna's schedule rules", () => {
  test('a 12:02 request runs at 12:10, and an exact mark stays', () => {
    expect(new Date(roundUpToMark(at('2026-06-23T12:02:00Z'), bolnaScheduleRules)).toISOString()).toBe(
      '2026-06-23T12:10:00.000Z',
    );
    expect(roundUpToMark(at('2026-06-23T12:10:00Z'), bolnaScheduleRules)).toBe(at('2026-06-23T12:10:00Z'));
    expect(roundUpToMark(at('2026-06-23T12:10:00.001Z'), bolnaScheduleRules)).toBe(
      at('2026-06-23T12:20:00Z'),
    );
  });

  test('the chosen start is at least the lead ahead, with margin, on a whole second', () => {
    const now = at('2026-06-23T12:00:00.400Z');
    const chosen = chooseScheduledAt(now, bolnaScheduleRules);
    expect(chosen - now).toBeGreaterThanOrEqual(2 * 60_000 + 30_000);
    expect(chosen % 1000).toBe(0);
  });

  test('a requested start later than the lead is kept; an earlier one is pushed out', () => {
    const now = at('2026-06-23T12:00:00Z');
    expect(chooseScheduledAt(now, bolnaScheduleRules, at('2026-06-24T09:00:00Z'))).toBe(
      at('2026-06-24T09:00:00Z'),
    );
    expect(chooseScheduledAt(now, bolnaScheduleRules, at('2026-06-23T12:01:00Z'))).toBe(
      at('2026-06-23T12:02:30Z'),
    );
  });
});

describe('timestamps sent to Bolna', () => {
  test('always carry a numeric offset, never Z', () => {
    expect(toBolnaTimestamp(new Date('2026-06-23T07:00:00Z'))).toBe('2026-06-23T07:00:00+00:00');
    expect(toBolnaTimestamp('2026-06-23T12:30:00+05:30')).toBe('2026-06-23T07:00:00+00:00');
    expect(toBolnaTimestamp('2026-06-23T07:00:00Z')).toBe('2026-06-23T07:00:00+00:00');
  });

  test('milliseconds round up, never down, so the lead is never shortened', () => {
    expect(toBolnaTimestamp(new Date('2026-06-23T07:00:00.001Z'))).toBe('2026-06-23T07:00:01+00:00');
  });

  test('a zoneless or unreadable time is refused rather than guessed', () => {
    expect(() => toBolnaTimestamp('2026-06-23T07:00:00')).toThrow(/with a zone/);
    expect(() => toBolnaTimestamp('next tuesday')).toThrow(RangeError);
  });

  test("Bolna's own timestamps are read as UTC when they have no zone", () => {
    expect(parseBolnaTimestamp('2026-06-23T07:00:00')).toBe(at('2026-06-23T07:00:00Z'));
    expect(parseBolnaTimestamp('2026-06-23T12:30:00+05:30')).toBe(at('2026-06-23T07:00:00Z'));
    expect(parseBolnaTimestamp('garbage')).toBeUndefined();
    expect(parseBolnaTimestamp(null)).toBeUndefined();
  });
});

describe('Retry-After', () => {
  const now = at('2026-06-23T07:00:00Z');
  test('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Tue, 23 Jun 2026 07:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter(['3'], now)).toBe(3000);
  });
  test('ignores what it cannot read, and never goes negative', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('Tue, 23 Jun 2026 06:00:00 GMT', now)).toBe(0);
  });
});
