import type { LedgerContact } from './ledger';

/** When a contact may be called, as the wave planner needs to know it (see calling-calendar.ts). */
export interface WaveCalendar {
  /**
   * The first instant at or after `fromMs` on one of Bolna's start marks when the contact may be called, and when
   * that chance closes (absent: it never does); undefined if it never opens.
   */
  nextOpening(zones: readonly string[], fromMs: number): { startMs: number; endMs?: number } | undefined;
  /** The contact's local date (`YYYY-MM-DD`) at `atMs`, for the per-day cap. */
  localDate(zones: readonly string[], atMs: number): string;
  /** The first instant of the contact's next local day after `atMs`. */
  startOfNextLocalDay(zones: readonly string[], atMs: number): number;
}

export interface PlanRules {
  /** The earliest start a wave planned now can have (a Bolna start mark, after the lead and the child's set-up). */
  earliestStartMs: number;
  deadlineMs?: number;
  maxCallsPerNumberPerDay?: number;
  calendar: WaveCalendar;
}

/** Why a contact cannot be called before its chance: what held it back. */
type Cause = 'ready' | 'retry delay' | 'calling window' | 'daily cap';

/** When a contact can next be called in a wave, and until when; undefined if never (before the deadline). */
export interface ContactChance {
  startMs: number;
  endMs?: number;
  cause: Cause;
}

/**
 * The contact's next chance to be called: waiting contacts (pending, or waiting for a retry) only, no sooner than
 * the earliest start and their retry delay, inside their calling window, under the daily cap, before the deadline.
 */
export function nextChance(contact: LedgerContact, rules: PlanRules): ContactChance | undefined {
  if (contact.state !== 'pending' && contact.state !== 'retry-waiting') return undefined;
  const { calendar } = rules;
  let fromMs = Math.max(rules.earliestStartMs, contact.notBeforeMs ?? 0);
  let cause: Cause = fromMs > rules.earliestStartMs ? 'retry delay' : 'ready';
  // Calls already made lie in the past, so a day with calls can push the chance to the next day once, not more.
  for (let tries = 0; tries < 3; tries += 1) {
    const opening = calendar.nextOpening(contact.zones, fromMs);
    if (opening === undefined) return undefined;
    if (rules.deadlineMs !== undefined && opening.startMs >= rules.deadlineMs) return undefined;
    if (opening.startMs > fromMs && cause === 'ready') cause = 'calling window';
    const cap = rules.maxCallsPerNumberPerDay;
    if (
      cap !== undefined &&
      callsOn(contact, calendar.localDate(contact.zones, opening.startMs), rules) >= cap
    ) {
      fromMs = calendar.startOfNextLocalDay(contact.zones, opening.startMs);
      cause = 'daily cap';
      continue;
    }
    return { ...opening, cause };
  }
  return undefined;
}

function callsOn(contact: LedgerContact, date: string, rules: PlanRules): number {
  let calls = 0;
  for (const attempt of contact.attempts) {
    if (rules.calendar.localDate(contact.zones, attempt.atMs) === date) calls += attempt.calls;
  }
  return calls;
}

/** What the first pass over the ledger finds: the earliest chance of any contact, and how many share it. */
export class EarliestChance {
  startMs: number | undefined;
  members = 0;
  readonly #causes = new Map<Cause, number>();

  consider(chance: ContactChance | undefined): void {
    if (chance === undefined) return;
    if (this.startMs === undefined || chance.startMs < this.startMs) {
      this.startMs = chance.startMs;
      this.members = 0;
      this.#causes.clear();
    }
    if (chance.startMs !== this.startMs) return;
    this.members += 1;
    this.#causes.set(chance.cause, (this.#causes.get(chance.cause) ?? 0) + 1);
  }

  /** Why the wave starts then, in words: what held most of its contacts back until then. */
  get reason(): string {
    const [cause] = [...this.#causes.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['ready'];
    const contacts = `${this.members} contact${this.members === 1 ? '' : 's'}`;
    switch (cause) {
      case 'ready':
        return `${contacts} ready: as soon as Bolna allows`;
      case 'retry delay':
        return `${contacts} due for a retry`;
      case 'calling window':
        return `${contacts} whose calling window opens then`;
      case 'daily cap':
        return `${contacts} past their daily call cap until then`;
    }
  }
}
