import { localDate, startOfNextLocalDay } from '../../src/outreach/local-days';

const at = (iso: string): number => Date.parse(iso);

describe('localDate', () => {
  it("is the date on the recipient's clock, with :30 and :45 offsets", () => {
    // 18:20Z is 23:50 in Kolkata (+5:30) and 00:05 the next day in Kathmandu (+5:45).
    expect(localDate('Asia/Calcutta', at('2025-01-15T18:20:00Z'))).toBe('2025-01-15');
    expect(localDate('Asia/Katmandu', at('2025-01-15T18:20:00Z'))).toBe('2025-01-16');
    expect(localDate('America/New_York', at('2025-01-16T04:59:59Z'))).toBe('2025-01-15');
    expect(localDate('America/New_York', at('2025-01-16T05:00:00Z'))).toBe('2025-01-16');
  });
});

describe('startOfNextLocalDay', () => {
  it("is the recipient's next midnight", () => {
    expect(startOfNextLocalDay(['Asia/Katmandu'], at('2025-01-15T12:00:00Z'))).toBe(
      at('2025-01-15T18:15:00Z'),
    );
    expect(startOfNextLocalDay(['Asia/Calcutta'], at('2025-01-15T18:29:59Z'))).toBe(
      at('2025-01-15T18:30:00Z'),
    );
    expect(startOfNextLocalDay(['Asia/Calcutta'], at('2025-01-15T18:30:00Z'))).toBe(
      at('2025-01-16T18:30:00Z'),
    );
  });

  it('is the latest of the midnights when the number has several zones', () => {
    // At 12:00Z it is 08:00 EDT in New York and 04:00 AKDT in Anchorage; Anchorage's midnight comes last.
    expect(startOfNextLocalDay(['America/New_York', 'America/Anchorage'], at('2025-07-01T12:00:00Z'))).toBe(
      at('2025-07-02T08:00:00Z'),
    );
    expect(() => startOfNextLocalDay([], 0)).toThrow(RangeError);
  });

  it('follows days of 23 and 25 hours in New York and London', () => {
    // 2025-03-09 (New York) has 23 hours: from 05:00Z to 04:00Z the next day; 2025-11-02 has 25.
    expect(startOfNextLocalDay(['America/New_York'], at('2025-03-09T05:00:00Z'))).toBe(
      at('2025-03-10T04:00:00Z'),
    );
    expect(startOfNextLocalDay(['America/New_York'], at('2025-11-02T04:00:00Z'))).toBe(
      at('2025-11-03T05:00:00Z'),
    );
    expect(startOfNextLocalDay(['Europe/London'], at('2025-03-30T00:00:00Z'))).toBe(
      at('2025-03-30T23:00:00Z'),
    );
    expect(startOfNextLocalDay(['Europe/London'], at('2025-10-25T23:00:00Z'))).toBe(
      at('2025-10-27T00:00:00Z'),
    );
  });

  it('counts a skipped midnight at the jump, and a repeated one at its second occurrence', () => {
    // Havana, 2025-03-09: 00:00 CST jumps to 01:00 CDT at 05:00Z.
    expect(startOfNextLocalDay(['America/Havana'], at('2025-03-08T12:00:00Z'))).toBe(
      at('2025-03-09T05:00:00Z'),
    );
    // Havana, 2025-11-02: 01:00 CDT goes back to 00:00 CST at 05:00Z, so midnight occurs at 04:00Z and 05:00Z.
    expect(startOfNextLocalDay(['America/Havana'], at('2025-11-01T12:00:00Z'))).toBe(
      at('2025-11-02T05:00:00Z'),
    );
    // Santiago, 2025-04-06: at 03:00Z the clock goes back from 24:00 to 23:00 of the 5th; the 6th starts at 04:00Z.
    expect(startOfNextLocalDay(['America/Santiago'], at('2025-04-05T12:00:00Z'))).toBe(
      at('2025-04-06T04:00:00Z'),
    );
  });
});
