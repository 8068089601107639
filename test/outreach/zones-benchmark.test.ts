import { performance } from 'node:perf_hooks';
import { CallingWindowSchedule } from '../../src/outreach/calling-window';
import { recipientZones } from '../../src/outreach/recipient-zones';

/** Number prefixes of about 20 distinct zone sets, multi-zone US area codes and the all-US toll-free one included. */
const prefixes = [
  '+1212',
  '+1213',
  '+1312',
  '+1303',
  '+1907',
  '+1605',
  '+1775',
  '+1808',
  '+1800',
  '+9198',
  '+97798',
  '+447',
  '+612',
  '+6189',
  '+5511',
  '+5255',
  '+7495',
  '+813',
  '+23480',
  '+2782',
  '+346',
  '+9891',
  '+6421',
];
const contacts = 100_000;

function numbers(): string[] {
  const all: string[] = [];
  let seed = 3;
  for (let index = 0; index < contacts; index += 1) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const prefix = prefixes[index % prefixes.length] as string;
    all.push(
      prefix +
        String(seed)
          .padStart(10, '0')
          .slice(0, 12 - prefix.length),
    );
  }
  return all;
}

describe('time zones and calling windows for 100,000 contacts (timings printed, not asserted)', () => {
  it('looks up zones and next openings per contact, with the same answers as a fresh schedule', () => {
    const all = numbers();
    let started = performance.now();
    recipientZones(all[0] as string);
    const loadMs = performance.now() - started;

    started = performance.now();
    const zonesOfContacts = all.map((number) => {
      const found = recipientZones(number);
      if (found.kind !== 'zones') throw new Error(`no zone for ${number}`);
      return found;
    });
    const lookupMs = performance.now() - started;
    const zoneSets = new Set(zonesOfContacts.map((found) => found.key));

    const window = { start: '09:00', end: '19:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] } as const;
    const schedule = new CallingWindowSchedule({ ...window, days: [...window.days] });
    const fromMs = Date.parse('2025-10-30T00:00:00Z');
    const stepMs = 600_000;
    // Each contact asks from a different instant, spread over 5 days (across New York's and London's DST ends).
    const askedFrom = (index: number): number => fromMs + (index % 1000) * 7 * 60_000;
    const pass = (): Array<number | undefined> =>
      zonesOfContacts.map(
        (found, index) => schedule.nextOpening(found.zones, askedFrom(index), stepMs)?.opensAtMs,
      );
    started = performance.now();
    const firstPass = pass();
    const coldMs = performance.now() - started;
    started = performance.now();
    const secondPass = pass();
    const warmMs = performance.now() - started;

    console.log(
      [
        `data file load: ${loadMs.toFixed(1)} ms`,
        `${contacts} zone lookups: ${lookupMs.toFixed(1)} ms (${((lookupMs * 1000) / contacts).toFixed(2)} µs each)`,
        `${zoneSets.size} zone sets`,
        `${contacts} nextOpening, first pass (tables built): ${coldMs.toFixed(1)} ms`,
        `${contacts} nextOpening, second pass: ${warmMs.toFixed(1)} ms (${((warmMs * 1000) / contacts).toFixed(2)} µs each)`,
      ].join('\n'),
    );

    expect(zoneSets.size).toBeGreaterThanOrEqual(18);
    expect(secondPass).toEqual(firstPass);
    // Caches change the cost, never the answer: a fresh schedule, asked about a sample in reverse order, agrees.
    const fresh = new CallingWindowSchedule({ ...window, days: [...window.days] });
    for (let index = contacts - 1; index >= 0; index -= 997) {
      const found = zonesOfContacts[index]?.zones ?? [];
      expect(fresh.nextOpening([...found], askedFrom(index), stepMs)?.opensAtMs).toBe(firstPass[index]);
    }
    // The all-US toll-free numbers' 42 zones never share a 09:00-19:00 window; the others do.
    expect(firstPass.filter((opensAtMs) => opensAtMs === undefined)).toHaveLength(
      zonesOfContacts.filter((found) => found.zones.length > 40).length,
    );
  });
});
