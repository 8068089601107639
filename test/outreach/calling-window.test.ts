import { DateTime } from 'luxon';
import {
  callingWindowSchema,
  CallingWindowSchedule,
  openingHorizonMs,
} from '../../src/outreach/calling-window';
import type { CallingWindow } from '../../src/workflows/outreach-definitions';

const at = (iso: string): number => Date.parse(iso);
const tenMinutesMs = 10 * 60_000;
const officeHours: CallingWindow = { start: '09:00', end: '19:00' };

function opening(
  schedule: CallingWindowSchedule,
  zones: readonly string[],
  fromIso: string,
  stepMs = tenMinutesMs,
) {
  const found = schedule.nextOpening(zones, at(fromIso), stepMs);
  return (
    found && {
      opens: new Date(found.opensAtMs).toISOString(),
      closes: new Date(found.closesAtMs).toISOString(),
    }
  );
}

/** What the schema finds wrong with a window, as `field: message` lines (empty when nothing is). */
function problems(window: unknown, minimumOpenMs: number): string[] {
  const checked = callingWindowSchema(minimumOpenMs).safeParse(window);
  return checked.success
    ? []
    : checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('callingWindowSchema', () => {
  it('finds nothing wrong with a good window', () => {
    expect(
      problems(
        {
          start: '09:00',
          end: '19:00',
          days: ['mon', 'fri'],
          holidays: ['2025-12-25'],
          timeZone: 'Asia/Calcutta',
        },
        tenMinutesMs,
      ),
    ).toEqual([]);
    expect(problems({ start: '00:00', end: '23:59', timeZone: 'recipient' }, tenMinutesMs)).toEqual([]);
  });

  it('names each bad setting', () => {
    expect(problems({ start: '9:00', end: '24:00' }, tenMinutesMs)).toEqual([
      'start: must be a time of day HH:MM (24 h), e.g. 09:00',
      'end: must be a time of day HH:MM (24 h), e.g. 09:00',
    ]);
    expect(problems({ start: '22:00', end: '06:00' }, tenMinutesMs)).toEqual([
      expect.stringMatching(/^end: must be after start \(22:00\) on the same day; a window across midnight/),
    ]);
    expect(problems({ start: '09:00', end: '09:00' }, tenMinutesMs)).toHaveLength(1);
    expect(problems({ start: '09:00', end: '09:05' }, tenMinutesMs)).toEqual([
      expect.stringMatching(
        /^end: the window 09:00-09:05 is shorter than Bolna's rounding of batch starts \(10 minutes\)/,
      ),
    ]);
    expect(problems({ start: '09:00', end: '09:10' }, tenMinutesMs)).toEqual([]);
    expect(problems({ ...officeHours, days: ['mon', 'monday'] }, tenMinutesMs)).toEqual([
      'days.1: must be one of mon, tue, wed, thu, fri, sat, sun',
    ]);
    expect(problems({ ...officeHours, days: [] }, tenMinutesMs)).toEqual([
      'days: must list at least one day (or leave it out for every day)',
    ]);
    expect(problems({ ...officeHours, holidays: ['2025-02-30', '25-12-2025', '2025-12-25'] }, 0)).toEqual([
      'holidays.0: must be a real date YYYY-MM-DD, e.g. 2026-12-25',
      'holidays.1: must be a real date YYYY-MM-DD, e.g. 2026-12-25',
    ]);
    expect(problems({ ...officeHours, timeZone: 'Mars/Olympus' }, 0)).toEqual([
      "timeZone: must be 'recipient' or an IANA time zone such as Asia/Kolkata",
    ]);
    expect(problems({ ...officeHours, openOnSundays: true }, 0)).toEqual([
      expect.stringMatching(/openOnSundays/),
    ]);
  });

  it('refuses to build a schedule from a bad window', () => {
    expect(() => new CallingWindowSchedule({ start: '19:00', end: '09:00' })).toThrow(
      /invalid calling window: window\.end: must be after start \(19:00\)/,
    );
  });
});

describe('CallingWindowSchedule', () => {
  const schedule = new CallingWindowSchedule(officeHours);

  it('is open from the start (inclusive) to the end (exclusive) in the zone', () => {
    const newYork = ['America/New_York'];
    expect(schedule.isOpen(newYork, at('2025-07-01T12:59:59.999Z'))).toBe(false);
    expect(schedule.isOpen(newYork, at('2025-07-01T13:00:00Z'))).toBe(true);
    expect(schedule.isOpen(newYork, at('2025-07-01T22:59:59.999Z'))).toBe(true);
    expect(schedule.isOpen(newYork, at('2025-07-01T23:00:00Z'))).toBe(false);
  });

  it('opens at 09:00 in India (+5:30) and at the first 10-minute mark after 09:00 in Nepal (+5:45)', () => {
    expect(opening(schedule, ['Asia/Calcutta'], '2025-01-15T00:00:00Z')).toEqual({
      opens: '2025-01-15T03:30:00.000Z',
      closes: '2025-01-15T13:30:00.000Z',
    });
    expect(opening(schedule, ['Asia/Katmandu'], '2025-01-15T00:00:00Z')).toEqual({
      opens: '2025-01-15T03:20:00.000Z',
      closes: '2025-01-15T13:15:00.000Z',
    });
    expect(schedule.isOpen(['Asia/Katmandu'], at('2025-01-15T03:14:59Z'))).toBe(false);
    expect(schedule.isOpen(['Asia/Katmandu'], at('2025-01-15T03:15:00Z'))).toBe(true);
  });

  it('starts at `fromMs` rounded up to the step when the window is already open, and skips a day when too late', () => {
    expect(opening(schedule, ['Asia/Calcutta'], '2025-01-15T05:01:00Z')).toEqual({
      opens: '2025-01-15T05:10:00.000Z',
      closes: '2025-01-15T13:30:00.000Z',
    });
    expect(opening(schedule, ['Asia/Calcutta'], '2025-01-15T05:10:00Z')?.opens).toBe(
      '2025-01-15T05:10:00.000Z',
    );
    // 13:25Z is 18:55 in Kolkata: the next 10-minute mark, 13:30Z, is the close.
    expect(opening(schedule, ['Asia/Calcutta'], '2025-01-15T13:21:00Z')?.opens).toBe(
      '2025-01-16T03:30:00.000Z',
    );
    // Any step: a whole hour since the epoch.
    expect(opening(schedule, ['Asia/Katmandu'], '2025-01-15T00:00:00Z', 3_600_000)?.opens).toBe(
      '2025-01-15T04:00:00.000Z',
    );
    expect(() => schedule.nextOpening(['Asia/Calcutta'], 0, 0)).toThrow(RangeError);
    // Inside an opening that began the UTC day before (09:00 PST on 2025-01-07 is 17:00Z; 01:00Z is 17:00 PST).
    expect(opening(schedule, ['America/Los_Angeles'], '2025-01-08T01:00:00Z')).toEqual({
      opens: '2025-01-08T01:00:00.000Z',
      closes: '2025-01-08T03:00:00.000Z',
    });
  });

  it('opens a multi-zone number only when the window is open in all its zones, until the first zone closes', () => {
    // Anchorage (AKDT, -8) and Adak (HDT, -9) in July: 09:00 in Adak is 18:00Z, 19:00 in Anchorage is 03:00Z.
    const alaska = ['America/Adak', 'America/Anchorage'];
    expect(opening(schedule, alaska, '2025-07-01T04:00:00Z')).toEqual({
      opens: '2025-07-01T18:00:00.000Z',
      closes: '2025-07-02T03:00:00.000Z',
    });
    expect(schedule.isOpen(alaska, at('2025-07-01T17:30:00Z'))).toBe(false);
    expect(schedule.isOpen(['America/Anchorage'], at('2025-07-01T17:30:00Z'))).toBe(true);
    // New York and Los Angeles: from 09:00 in Los Angeles to 19:00 in New York.
    expect(opening(schedule, ['America/New_York', 'America/Los_Angeles'], '2025-07-01T00:00:00Z')).toEqual({
      opens: '2025-07-01T16:00:00.000Z',
      closes: '2025-07-01T23:00:00.000Z',
    });
  });

  it('finds no opening when the zones never share one', () => {
    const apart = ['Asia/Tokyo', 'America/New_York'];
    expect(schedule.nextOpening(apart, at('2025-01-01T00:00:00Z'), tenMinutesMs)).toBeUndefined();
    expect(schedule.isOpen(apart, at('2025-01-01T14:00:00Z'))).toBe(false);
  });

  it('gives up beyond the horizon', () => {
    const mondays = new CallingWindowSchedule({ ...officeHours, days: ['mon'] });
    const nextMonday = mondays.nextOpening(['UTC'], at('2025-01-07T00:00:00Z'), tenMinutesMs);
    expect(nextMonday?.opensAtMs).toBe(at('2025-01-13T09:00:00Z'));
    expect(openingHorizonMs).toBe(366 * 86_400_000);
    // A holiday every day of the horizon except the day just past it.
    const holidays: string[] = [];
    for (let day = 0; day <= 366; day += 1) {
      holidays.push(
        DateTime.fromISO('2025-01-01', { zone: 'UTC' }).plus({ days: day }).toISODate() as string,
      );
    }
    const allHolidays = new CallingWindowSchedule({ ...officeHours, holidays });
    expect(allHolidays.nextOpening(['UTC'], at('2025-01-01T00:00:00Z'), tenMinutesMs)).toBeUndefined();
    // 2026-01-03 09:00 is exactly 366 days after 2025-01-02 09:00: just inside the horizon; from a moment earlier, outside.
    expect(opening(allHolidays, ['UTC'], '2025-01-02T09:00:00Z')?.opens).toBe('2026-01-03T09:00:00.000Z');
    expect(opening(allHolidays, ['UTC'], '2025-01-02T08:59:59.999Z')).toBeUndefined();
  });

  it('keeps to the days of the week in the local calendar', () => {
    const weekdaysOnly = new CallingWindowSchedule({
      ...officeHours,
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    });
    // Saturday 2025-01-04: the next opening is Monday 09:00, which in Tokyo is still Sunday in UTC.
    expect(opening(weekdaysOnly, ['Asia/Tokyo'], '2025-01-04T00:00:00Z')?.opens).toBe(
      '2025-01-06T00:00:00.000Z',
    );
    expect(opening(weekdaysOnly, ['America/New_York'], '2025-01-04T00:00:00Z')?.opens).toBe(
      '2025-01-06T14:00:00.000Z',
    );
    expect(weekdaysOnly.isOpen(['Asia/Tokyo'], at('2025-01-05T03:00:00Z'))).toBe(false);
    expect(weekdaysOnly.isOpen(['Asia/Tokyo'], at('2025-01-06T03:00:00Z'))).toBe(true);
  });

  it('skips holidays in the local calendar', () => {
    const christmas = new CallingWindowSchedule({ ...officeHours, holidays: ['2025-12-25'] });
    expect(opening(christmas, ['Asia/Tokyo'], '2025-12-24T12:00:00Z')?.opens).toBe(
      '2025-12-26T00:00:00.000Z',
    );
    expect(opening(christmas, ['America/New_York'], '2025-12-24T12:00:00Z')?.opens).toBe(
      '2025-12-24T14:00:00.000Z',
    );
    expect(opening(christmas, ['America/New_York'], '2025-12-25T00:00:00Z')?.opens).toBe(
      '2025-12-26T14:00:00.000Z',
    );
    expect(christmas.isOpen(['America/New_York'], at('2025-12-25T15:00:00Z'))).toBe(false);
  });

  it('follows New York and London across the DST changes', () => {
    expect(opening(schedule, ['America/New_York'], '2025-03-09T00:00:00Z')).toEqual({
      opens: '2025-03-09T13:00:00.000Z',
      closes: '2025-03-09T23:00:00.000Z',
    });
    expect(opening(schedule, ['America/New_York'], '2025-11-02T00:00:00Z')).toEqual({
      opens: '2025-11-02T14:00:00.000Z',
      closes: '2025-11-03T00:00:00.000Z',
    });
    expect(opening(schedule, ['Europe/London'], '2025-03-30T00:00:00Z')?.opens).toBe(
      '2025-03-30T08:00:00.000Z',
    );
    expect(opening(schedule, ['Europe/London'], '2025-10-26T00:00:00Z')?.opens).toBe(
      '2025-10-26T09:00:00.000Z',
    );
  });

  it('opens at the jump when the start time is skipped, and at its second occurrence when it is repeated', () => {
    const nightOwls = new CallingWindowSchedule({ start: '01:30', end: '02:30' });
    // New York, 2025-03-09: 02:00 EST jumps to 03:00 EDT at 07:00Z, so 02:30 is skipped and the window is short.
    expect(opening(nightOwls, ['America/New_York'], '2025-03-09T00:00:00Z', 60_000)).toEqual({
      opens: '2025-03-09T06:30:00.000Z',
      closes: '2025-03-09T07:00:00.000Z',
    });
    // 2025-11-02: 01:30 occurs at 05:30Z (EDT) and 06:30Z (EST); between them the clock goes back to 01:00.
    expect(opening(nightOwls, ['America/New_York'], '2025-11-02T00:00:00Z', 60_000)).toEqual({
      opens: '2025-11-02T06:30:00.000Z',
      closes: '2025-11-02T07:30:00.000Z',
    });
    expect(nightOwls.isOpen(['America/New_York'], at('2025-11-02T05:45:00Z'))).toBe(false);
    // London, 2025-03-30: 01:00 GMT jumps to 02:00 BST at 01:00Z, so 01:30 is skipped: open from the jump.
    expect(opening(nightOwls, ['Europe/London'], '2025-03-29T12:00:00Z', 60_000)).toEqual({
      opens: '2025-03-30T01:00:00.000Z',
      closes: '2025-03-30T01:30:00.000Z',
    });
    // 2025-10-26: 02:00 BST goes back to 01:00 GMT at 01:00Z: 01:30 occurs at 00:30Z and 01:30Z.
    expect(opening(nightOwls, ['Europe/London'], '2025-10-25T12:00:00Z', 60_000)?.opens).toBe(
      '2025-10-26T01:30:00.000Z',
    );
  });

  it('uses its fixed zone for everybody when it has one', () => {
    expect(new CallingWindowSchedule({ ...officeHours, timeZone: 'Asia/Calcutta' }).fixedZones).toEqual([
      'Asia/Calcutta',
    ]);
    expect(schedule.fixedZones).toBeUndefined();
    expect(new CallingWindowSchedule({ ...officeHours, timeZone: 'recipient' }).fixedZones).toBeUndefined();
  });

  it('refuses an empty or unknown set of zones', () => {
    expect(() => schedule.isOpen([], 0)).toThrow(RangeError);
    expect(() => schedule.nextOpening(['Mars/Olympus'], 0, tenMinutesMs)).toThrow(
      'unknown time zone "Mars/Olympus"',
    );
  });
});

describe('CallingWindowSchedule against a plain reading of the clock', () => {
  const zones = [
    'America/New_York',
    'America/Los_Angeles',
    'America/St_Johns',
    'America/Santiago',
    'America/Adak',
    'Europe/London',
    'Africa/Casablanca',
    'Asia/Calcutta',
    'Asia/Katmandu',
    'Asia/Tehran',
    'Asia/Tokyo',
    'Australia/Lord_Howe',
    'Australia/Sydney',
    'Pacific/Chatham',
    'Pacific/Honolulu',
  ];
  const window: CallingWindow = {
    start: '08:30',
    end: '20:15',
    days: ['mon', 'tue', 'wed', 'thu', 'sat'],
    holidays: ['2025-04-18', '2025-12-25', '2026-01-01', '2026-03-30'],
  };
  const startMinutes = 8 * 60 + 30;
  const endMinutes = 20 * 60 + 15;
  const allowedWeekdays = new Set([1, 2, 3, 4, 6]);

  /** Open when the zone's clock, read by luxon, shows an allowed day and a time inside the window. */
  function openByClock(zone: string, atMs: number): boolean {
    const local = DateTime.fromMillis(atMs, { zone });
    const minutes = local.hour * 60 + local.minute;
    return (
      allowedWeekdays.has(local.weekday) &&
      !(window.holidays ?? []).includes(local.toISODate() ?? '') &&
      minutes >= startMinutes &&
      minutes < endMinutes
    );
  }
  const openEverywhere = (set: readonly string[], atMs: number) =>
    set.every((zone) => openByClock(zone, atMs));

  let seed = 7;
  /** A fixed pseudo-random sequence (a linear congruential generator), so a failure can be run again. */
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const fromMs = at('2025-01-01T00:00:00Z');
  const spanMs = at('2027-01-01T00:00:00Z') - fromMs;

  it('is open exactly when every zone’s clock shows an allowed day and time', () => {
    const schedule = new CallingWindowSchedule(window);
    const disagreements: string[] = [];
    let openSeen = 0;
    for (let index = 0; index < 3000; index += 1) {
      const set = Array.from({ length: 1 + Math.floor(random() * 2) }, () => pick(zones));
      const atMs = fromMs + Math.floor(random() * (spanMs / 60_000)) * 60_000;
      const expected = openEverywhere(set, atMs);
      if (schedule.isOpen(set, atMs) !== expected)
        disagreements.push(`${set.join('&')} ${new Date(atMs).toISOString()}`);
      if (expected) openSeen += 1;
    }
    expect(disagreements).toEqual([]);
    expect(openSeen).toBeGreaterThan(300);
  });

  it('finds the same next opening and close as a minute-by-minute search', () => {
    const schedule = new CallingWindowSchedule(window);
    const disagreements: string[] = [];
    for (let index = 0; index < 60; index += 1) {
      const set = Array.from({ length: 1 + Math.floor(random() * 2) }, () => pick(zones));
      const startMs = fromMs + Math.floor(random() * spanMs);
      const found = schedule.nextOpening(set, startMs, tenMinutesMs);
      // Search 10-minute marks for up to 8 days; beyond that, a pair of zones too far apart never shares a window.
      let expected: { opensAtMs: number; closesAtMs: number } | undefined;
      for (
        let markMs = Math.ceil(startMs / tenMinutesMs) * tenMinutesMs;
        markMs < startMs + 8 * 86_400_000;
      ) {
        if (openEverywhere(set, markMs)) {
          let closesAtMs = markMs;
          while (openEverywhere(set, closesAtMs)) closesAtMs += 60_000;
          expected = { opensAtMs: markMs, closesAtMs };
          break;
        }
        markMs += tenMinutesMs;
      }
      if (
        expected === undefined
          ? found !== undefined && found.opensAtMs < startMs + 8 * 86_400_000
          : !found || found.opensAtMs !== expected.opensAtMs || found.closesAtMs !== expected.closesAtMs
      ) {
        disagreements.push(
          `${set.join('&')} from ${new Date(startMs).toISOString()}: ${JSON.stringify(found)} ${JSON.stringify(expected)}`,
        );
      }
    }
    expect(disagreements).toEqual([]);
  });
});
