import { DateTime } from 'luxon';
import { isKnownZone, zoneClock } from '../../src/outreach/zone-clock';

/** Zones with :30 and :45 offsets, half-hour DST (Lord Howe), DST suspended for Ramadan (Casablanca), no DST. */
const zones = [
  'America/New_York',
  'America/St_Johns',
  'America/Santiago',
  'America/Havana',
  'Europe/London',
  'Africa/Casablanca',
  'Asia/Calcutta',
  'Asia/Katmandu',
  'Asia/Tehran',
  'Australia/Lord_Howe',
  'Australia/Adelaide',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
];

/** A fixed pseudo-random sequence (mulberry32), so a failure names instants that can be run again. */
function randomSequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('ZoneClock', () => {
  it('agrees with luxon on the offset and the local date at random instants of 2024-2027, and around each transition', () => {
    const random = randomSequence(11);
    const fromMs = Date.parse('2024-01-01T00:00:00Z');
    const spanMs = Date.parse('2028-01-01T00:00:00Z') - fromMs;
    const disagreements: string[] = [];
    let checked = 0;
    for (const zone of zones) {
      const clock = zoneClock(zone);
      const instants: number[] = [];
      for (let index = 0; index < 500; index += 1) instants.push(fromMs + Math.floor(random() * spanMs));
      // Each transition luxon sees (no zone has two within 6 hours), and the seconds either side of it.
      const stepMs = 6 * 3_600_000;
      for (let sampleMs = fromMs; sampleMs < fromMs + spanMs; sampleMs += stepMs) {
        const before = DateTime.fromMillis(sampleMs, { zone }).offset;
        const after = DateTime.fromMillis(sampleMs + stepMs, { zone }).offset;
        if (before !== after) {
          let low = sampleMs;
          let high = sampleMs + stepMs;
          while (high - low > 1000) {
            const middle = low + Math.floor((high - low) / 2000) * 1000;
            if (DateTime.fromMillis(middle, { zone }).offset === before) low = middle;
            else high = middle;
          }
          instants.push(high - 1000, high - 1, high, high + 1000);
        }
      }
      for (const atMs of instants) {
        const expected = DateTime.fromMillis(atMs, { zone });
        const offset = clock.offsetAt(atMs) / 60_000;
        const date = new Date(clock.localDay(atMs) * 86_400_000).toISOString().slice(0, 10);
        if (offset !== expected.offset || date !== expected.toISODate()) {
          disagreements.push(
            `${zone} at ${new Date(atMs).toISOString()}: ${offset} ${date}, luxon ${expected.toISO()}`,
          );
        }
        checked += 1;
      }
    }
    expect(disagreements).toEqual([]);
    // The transitions were found and checked too: four years of most of these zones have several.
    expect(checked).toBeGreaterThan(zones.length * 500 + 100);
  });

  it('finds the instant of a wall-clock time: either occurrence of a repeated one, the jump for a skipped one', () => {
    const newYork = zoneClock('America/New_York');
    const wall = (iso: string): number => Date.parse(`${iso}Z`);
    // An ordinary time.
    expect(newYork.instantOf(wall('2025-07-01T09:00:00'), 'first')).toBe(Date.parse('2025-07-01T13:00:00Z'));
    // 2025-03-09: 02:00 EST jumps to 03:00 EDT (07:00Z), so 02:30 never occurs.
    expect(newYork.instantOf(wall('2025-03-09T02:30:00'), 'first')).toBe(Date.parse('2025-03-09T07:00:00Z'));
    expect(newYork.instantOf(wall('2025-03-09T02:30:00'), 'last')).toBe(Date.parse('2025-03-09T07:00:00Z'));
    // 2025-11-02: 02:00 EDT goes back to 01:00 EST (06:00Z), so 01:30 occurs at 05:30Z and 06:30Z.
    expect(newYork.instantOf(wall('2025-11-02T01:30:00'), 'first')).toBe(Date.parse('2025-11-02T05:30:00Z'));
    expect(newYork.instantOf(wall('2025-11-02T01:30:00'), 'last')).toBe(Date.parse('2025-11-02T06:30:00Z'));
  });

  it('knows legacy names and refuses names that are not zones', () => {
    expect(isKnownZone('Asia/Calcutta')).toBe(true);
    expect(isKnownZone('Asia/Kolkata')).toBe(true);
    expect(isKnownZone('Mars/Olympus')).toBe(false);
    expect(isKnownZone('')).toBe(false);
    expect(() => zoneClock('Mars/Olympus')).toThrow('unknown time zone "Mars/Olympus"');
  });
});
