import { IANAZone } from 'luxon';

export const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
export const dayMs = 24 * hourMs;

/** Offsets are tabulated per block of this many milliseconds, built the first time an instant in it is asked for. */
const blockMs = 32 * dayMs;
/**
 * A block is sampled at this step and each change is then bisected to the second. tzdata has no two transitions
 * of one zone within 12 hours of each other, so sampling at this step sees every transition.
 */
const sampleMs = 12 * hourMs;
/** No zone's offset is beyond these bounds (−12:00 to +14:00 today; a margin for historical ones). */
const largestOffsetMs = 16 * hourMs;

interface Transition {
  atMs: number;
  /** The offset from `atMs` on. */
  offsetMs: number;
}

interface OffsetBlock {
  /** The offset in effect at the block's first instant. */
  startOffsetMs: number;
  /** Transitions inside the block (after its first instant), in order. */
  transitions: Transition[];
}

/**
 * One time zone's offsets from UTC, and the conversions between instants and its wall clock. Asking
 * luxon/Intl for an offset costs about 7 µs; campaigns ask for millions, so each zone's transitions are tabulated
 * once (per 32-day block) and everything else is arithmetic over that table.
 */
export class ZoneClock {
  private readonly blocks = new Map<number, OffsetBlock>();

  constructor(
    readonly name: string,
    private readonly zone: IANAZone,
  ) {}

  offsetAt(atMs: number): number {
    const block = this.block(Math.floor(atMs / blockMs));
    let offsetMs = block.startOffsetMs;
    for (const transition of block.transitions) {
      if (transition.atMs > atMs) break;
      offsetMs = transition.offsetMs;
    }
    return offsetMs;
  }

  /** What the zone's wall clock reads at `atMs`, as milliseconds since 1970-01-01T00:00 on that clock. */
  wallClock(atMs: number): number {
    return atMs + this.offsetAt(atMs);
  }

  /** The number of the local date at `atMs`, in days since 1970-01-01. */
  localDay(atMs: number): number {
    return Math.floor(this.wallClock(atMs) / dayMs);
  }

  /**
   * The instant at which the wall clock reaches `wallMs` (milliseconds since 1970-01-01T00:00 on this clock).
   * A time that occurs twice (a clock set back) gives its `first` or `last` occurrence; a time that does not occur
   * (a clock set forward over it) gives the instant of the jump, the first at which the clock reads later.
   */
  instantOf(wallMs: number, occurrence: 'first' | 'last'): number {
    const offsets = [this.offsetAt(wallMs - largestOffsetMs)];
    const nearby = this.transitionsBetween(wallMs - largestOffsetMs, wallMs + largestOffsetMs);
    for (const transition of nearby) offsets.push(transition.offsetMs);
    const instants = offsets
      .map((offsetMs) => wallMs - offsetMs)
      .filter((atMs) => this.wallClock(atMs) === wallMs)
      .sort((a, b) => a - b);
    const found = occurrence === 'first' ? instants[0] : instants[instants.length - 1];
    if (found !== undefined) return found;
    for (const transition of nearby) {
      const before = this.offsetAt(transition.atMs - 1);
      if (transition.atMs + before <= wallMs && wallMs < transition.atMs + transition.offsetMs)
        return transition.atMs;
    }
    // Unreachable with a consistent table: a wall time that never occurs lies in a forward jump.
    throw new Error(`${this.name}: no instant found for wall time ${new Date(wallMs).toISOString()}`);
  }

  private transitionsBetween(fromMs: number, toMs: number): Transition[] {
    const found: Transition[] = [];
    for (let index = Math.floor(fromMs / blockMs); index <= Math.floor(toMs / blockMs); index += 1) {
      for (const transition of this.block(index).transitions) {
        if (transition.atMs > fromMs && transition.atMs <= toMs) found.push(transition);
      }
    }
    return found;
  }

  private block(index: number): OffsetBlock {
    const cached = this.blocks.get(index);
    if (cached) return cached;
    const startMs = index * blockMs;
    const block: OffsetBlock = { startOffsetMs: this.intlOffset(startMs), transitions: [] };
    let previousMs = startMs;
    let previousOffset = block.startOffsetMs;
    for (let sampleAt = startMs + sampleMs; sampleAt <= startMs + blockMs; sampleAt += sampleMs) {
      const offsetMs = this.intlOffset(sampleAt);
      if (offsetMs !== previousOffset) {
        block.transitions.push({ atMs: this.bisect(previousMs, previousOffset, sampleAt), offsetMs });
      }
      previousMs = sampleAt;
      previousOffset = offsetMs;
    }
    this.blocks.set(index, block);
    return block;
  }

  /** The first second after `fromMs` (whose offset is `fromOffsetMs`) at which the offset differs, up to `toMs`. */
  private bisect(fromMs: number, fromOffsetMs: number, toMs: number): number {
    let low = fromMs;
    let high = toMs;
    while (high - low > 1000) {
      const middle = low + Math.floor((high - low) / 2000) * 1000;
      if (this.intlOffset(middle) === fromOffsetMs) low = middle;
      else high = middle;
    }
    return high;
  }

  private intlOffset(atMs: number): number {
    return Math.round(this.zone.offset(atMs) * minuteMs);
  }
}

const clocks = new Map<string, ZoneClock>();
const knownZones = new Map<string, boolean>();

/** Whether this machine's Intl (through luxon) knows the zone name, legacy names such as `Asia/Calcutta` included. */
export function isKnownZone(name: string): boolean {
  let known = knownZones.get(name);
  if (known === undefined) {
    known = name !== '' && IANAZone.isValidZone(name);
    knownZones.set(name, known);
  }
  return known;
}

/** The clock of a zone, shared by every caller; a name this machine does not know is a programming error here. */
export function zoneClock(name: string): ZoneClock {
  let clock = clocks.get(name);
  if (!clock) {
    if (!isKnownZone(name)) throw new RangeError(`unknown time zone "${name}"`);
    clock = new ZoneClock(name, IANAZone.create(name));
    clocks.set(name, clock);
  }
  return clock;
}

/** `YYYY-MM-DD` of a day number (days since 1970-01-01). */
export function formatLocalDay(day: number): string {
  return new Date(day * dayMs).toISOString().slice(0, 10);
}
