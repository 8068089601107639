import { DateTime } from 'luxon';
import { z } from 'zod';
import { inWords } from '../platform/duration';
import { type CallingWindow, type Weekday, weekdays } from '../workflows/outreach-definitions';
import { dayMs, isKnownZone, minuteMs, type ZoneClock, zoneClock } from './zone-clock';

/** How far ahead `nextOpening` looks before it gives up. */
export const openingHorizonMs = 366 * dayMs;

/** Openings are computed and kept per block of this many milliseconds for each zone set. */
const blockMs = 32 * dayMs;
/** Local days on each side of a block whose windows may overlap it (offsets up to ±16 h, windows under a day). */
const marginDays = 3;

/** A span of time, half-open: `[opensAtMs, closesAtMs)`. */
export interface WindowOpening {
  opensAtMs: number;
  closesAtMs: number;
}

const timeOfDayPattern = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of an `HH:MM` time of day the schema below has accepted. */
function minutesOfDay(text: string): number {
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` calendar date, or undefined when it is not a real one. */
function dayNumber(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const date = DateTime.fromISO(text, { zone: 'UTC' });
  return date.isValid ? date.toMillis() / dayMs : undefined;
}

const timeOfDay = z.string().regex(timeOfDayPattern, 'must be a time of day HH:MM (24 h), e.g. 09:00');

/** An IANA zone this machine's time-zone data knows, or 'recipient' (each contact's own zone). */
export const windowTimeZone = z
  .string()
  .refine(
    (zone) => zone === 'recipient' || isKnownZone(zone),
    "must be 'recipient' or an IANA time zone such as Asia/Kolkata",
  );

/**
 * What a good calling window is, defined once: outreach input is checked with it before anything reaches Bolna, and
 * CallingWindowSchedule refuses a window it rejects. `minimumOpenMs` is the shortest window accepted: Bolna rounds
 * start times to marks this far apart, and only a window at least that long is sure to contain one.
 */
export function callingWindowSchema(minimumOpenMs: number) {
  return z
    .strictObject({
      start: timeOfDay,
      end: timeOfDay,
      days: z
        .array(z.enum(weekdays, `must be one of ${weekdays.join(', ')}`))
        .min(1, 'must list at least one day (or leave it out for every day)')
        .optional(),
      timeZone: windowTimeZone.optional(),
      holidays: z
        .array(
          z
            .string()
            .refine(
              (text) => dayNumber(text) !== undefined,
              'must be a real date YYYY-MM-DD, e.g. 2026-12-25',
            ),
        )
        .optional(),
    })
    .superRefine((window, context) => {
      const openMs = (minutesOfDay(window.end) - minutesOfDay(window.start)) * minuteMs;
      if (openMs <= 0) {
        context.addIssue({
          code: 'custom',
          path: ['end'],
          message: `must be after start (${window.start}) on the same day; a window across midnight is not supported: split the day's calling into the hours before midnight`,
        });
      } else if (openMs < minimumOpenMs) {
        context.addIssue({
          code: 'custom',
          path: ['end'],
          message: `the window ${window.start}-${window.end} is shorter than Bolna's rounding of batch starts (${inWords(minimumOpenMs)}): no wave could start inside it`,
        });
      }
    });
}

/** One zone's openings, one per local day, kept as they are computed. */
class ZoneOpenings {
  private readonly byDay = new Map<number, WindowOpening | null>();

  constructor(
    readonly clock: ZoneClock,
    private readonly schedule: DailyRule,
  ) {}

  /** The window on local day `day` (days since 1970-01-01), or null when it is closed all that day. */
  onDay(day: number): WindowOpening | null {
    let opening = this.byDay.get(day);
    if (opening === undefined) {
      opening = this.schedule.openingOn(this.clock, day);
      this.byDay.set(day, opening);
    }
    return opening;
  }

  isOpen(atMs: number): boolean {
    // An instant inside a day's opening always shows that day's date (openings start once the clock has reached
    // the start time for good), so the date at `atMs` names the only opening that can contain it.
    const opening = this.onDay(this.clock.localDay(atMs));
    return opening !== null && opening.opensAtMs <= atMs && atMs < opening.closesAtMs;
  }
}

/** The window's rule for one local day, independent of the zone. */
class DailyRule {
  private readonly days: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<number>;

  constructor(
    private readonly startMinutes: number,
    private readonly endMinutes: number,
    days: readonly Weekday[],
    holidays: readonly number[],
  ) {
    this.days = new Set(days.map((day) => weekdays.indexOf(day)));
    this.holidays = new Set(holidays);
  }

  /**
   * The opening on a local day: from the instant the clock reaches the start time for good (the second occurrence
   * of a time a clock change repeats; the jump, for a time it skips) to the first instant it reaches the end time.
   * So no call is placed while the recipient's clock reads a time outside the window, even on a DST day.
   */
  openingOn(clock: ZoneClock, day: number): WindowOpening | null {
    // 1970-01-01 was a Thursday, index 3 of `weekdays` (which starts on Monday).
    const weekday = (((day + 3) % 7) + 7) % 7;
    if (!this.days.has(weekday) || this.holidays.has(day)) return null;
    const opensAtMs = clock.instantOf(day * dayMs + this.startMinutes * minuteMs, 'last');
    const closesAtMs = clock.instantOf(day * dayMs + this.endMinutes * minuteMs, 'first');
    return closesAtMs > opensAtMs ? { opensAtMs, closesAtMs } : null;
  }
}

/** The openings common to a set of zones, per block, computed once. */
class ZoneSetOpenings {
  private readonly blocks = new Map<number, WindowOpening[]>();

  constructor(private readonly members: readonly ZoneOpenings[]) {}

  isOpen(atMs: number): boolean {
    return this.members.every((member) => member.isOpen(atMs));
  }

  /** The common openings that start inside block `index`, in order. */
  block(index: number): WindowOpening[] {
    let openings = this.blocks.get(index);
    if (!openings) {
      const firstDay = Math.floor((index * blockMs) / dayMs) - marginDays;
      const lastDay = Math.floor(((index + 1) * blockMs) / dayMs) + marginDays;
      let common: WindowOpening[] | undefined;
      for (const member of this.members) {
        const own: WindowOpening[] = [];
        for (let day = firstDay; day <= lastDay; day += 1) {
          const opening = member.onDay(day);
          if (opening) own.push(opening);
        }
        common = common ? intersect(common, own) : own;
      }
      const blockStartMs = index * blockMs;
      openings = (common ?? []).filter(
        (opening) => opening.opensAtMs >= blockStartMs && opening.opensAtMs < blockStartMs + blockMs,
      );
      this.blocks.set(index, openings);
    }
    return openings;
  }
}

/** The spans inside both lists; each list is in order and its spans do not overlap. */
function intersect(left: readonly WindowOpening[], right: readonly WindowOpening[]): WindowOpening[] {
  const both: WindowOpening[] = [];
  let leftIndex = 0;
  let rightIndex = 0;
  while (leftIndex < left.length && rightIndex < right.length) {
    const a = left[leftIndex] as WindowOpening;
    const b = right[rightIndex] as WindowOpening;
    const opensAtMs = Math.max(a.opensAtMs, b.opensAtMs);
    const closesAtMs = Math.min(a.closesAtMs, b.closesAtMs);
    if (opensAtMs < closesAtMs) both.push({ opensAtMs, closesAtMs });
    if (a.closesAtMs <= b.closesAtMs) leftIndex += 1;
    else rightIndex += 1;
  }
  return both;
}

/**
 * A calling window made ready to answer "is it open?" and "when does it next open?" for many contacts. Work that
 * depends on a zone or a set of zones is done once and kept: build one schedule per campaign and ask it for every
 * contact. A contact with several zones (a number whose area spans them) is inside the window only when it is open
 * in all of them. Pure: the answers depend only on the arguments and the machine's time-zone data. A zones array is
 * remembered by identity, so pass arrays that do not change afterwards (those from recipient-zones.ts are frozen).
 */
export class CallingWindowSchedule {
  /**
   * The zones to pass for every contact when the window has a fixed zone (the same array each time); undefined when
   * the window is in each recipient's own zone.
   */
  readonly fixedZones: readonly string[] | undefined;
  private readonly rule: DailyRule;
  private readonly zones = new Map<string, ZoneOpenings>();
  private readonly zoneSetsByArray = new WeakMap<readonly string[], ZoneSetOpenings>();
  private readonly zoneSetsByKey = new Map<string, ZoneSetOpenings>();

  /** Throws a RangeError listing what `callingWindowSchema` finds wrong (validate input with it first). */
  constructor(window: CallingWindow) {
    const checked = callingWindowSchema(0).safeParse(window);
    if (!checked.success) {
      const problems = checked.error.issues.map(
        (issue) => `${['window', ...issue.path].join('.')}: ${issue.message}`,
      );
      throw new RangeError(`invalid calling window: ${problems.join('; ')}`);
    }
    this.rule = new DailyRule(
      minutesOfDay(window.start),
      minutesOfDay(window.end),
      window.days ?? weekdays,
      (window.holidays ?? []).map((holiday) => dayNumber(holiday) as number),
    );
    const zone = window.timeZone ?? 'recipient';
    this.fixedZones = zone === 'recipient' ? undefined : Object.freeze([zone]);
  }

  /** Whether the window is open at `atMs` in every one of `zones`. */
  isOpen(zones: readonly string[], atMs: number): boolean {
    return this.zoneSet(zones).isOpen(atMs);
  }

  /**
   * The first instant at or after `fromMs` that is a whole multiple of `stepMs` since the epoch (Bolna's rounded
   * start times) at which the window is open in every one of `zones`, with the instant it next closes (the
   * earliest close among the zones); undefined when there is none within `openingHorizonMs` of `fromMs`.
   */
  nextOpening(zones: readonly string[], fromMs: number, stepMs: number): WindowOpening | undefined {
    if (!Number.isSafeInteger(stepMs) || stepMs <= 0) {
      throw new RangeError(`stepMs must be a positive whole number of milliseconds, got ${stepMs}`);
    }
    const zoneSet = this.zoneSet(zones);
    const limitMs = fromMs + openingHorizonMs;
    // The block before `fromMs`'s may hold an opening that began earlier and is still open at `fromMs`.
    for (let index = Math.floor(fromMs / blockMs) - 1; index * blockMs <= limitMs; index += 1) {
      for (const opening of zoneSet.block(index)) {
        if (opening.closesAtMs <= fromMs) continue;
        const candidateMs = Math.ceil(Math.max(opening.opensAtMs, fromMs) / stepMs) * stepMs;
        if (candidateMs > limitMs) return undefined;
        if (candidateMs < opening.closesAtMs)
          return { opensAtMs: candidateMs, closesAtMs: opening.closesAtMs };
      }
    }
    return undefined;
  }

  private zoneSet(zones: readonly string[]): ZoneSetOpenings {
    const byArray = this.zoneSetsByArray.get(zones);
    if (byArray) return byArray;
    if (zones.length === 0)
      throw new RangeError('a calling window needs at least one time zone to be checked in');
    const names = [...new Set(zones)].sort();
    const key = names.join('&');
    let zoneSet = this.zoneSetsByKey.get(key);
    if (!zoneSet) {
      zoneSet = new ZoneSetOpenings(names.map((name) => this.zoneOpenings(name)));
      this.zoneSetsByKey.set(key, zoneSet);
    }
    this.zoneSetsByArray.set(zones, zoneSet);
    return zoneSet;
  }

  private zoneOpenings(name: string): ZoneOpenings {
    let openings = this.zones.get(name);
    if (!openings) {
      openings = new ZoneOpenings(zoneClock(name), this.rule);
      this.zones.set(name, openings);
    }
    return openings;
  }
}
