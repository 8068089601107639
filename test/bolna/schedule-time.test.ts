import { bolnaScheduleRules, chooseScheduledAt, roundUpToMark } from '../../src/bolna/schedule-time';

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
