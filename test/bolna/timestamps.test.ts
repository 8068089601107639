import { parseBolnaTimestamp, toBolnaTimestamp } from '../../src/bolna/timestamps';

const at = (iso: string) => Date.parse(iso);

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
