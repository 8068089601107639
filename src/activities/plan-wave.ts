import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify';
import { roundUpToMark } from '../bolna/schedule-time';
import { parseIsoWithOffset } from '../bolna/timestamps';
import { contactNumberColumn } from '../csv/header';
import { waveCalendar } from '../outreach/calling-calendar';
import { LedgerWriter, readLedger } from '../outreach/ledger';
import { EarliestChance, nextChance } from '../outreach/wave-planner';
import type { PlanRules } from '../outreach/wave-planner';
import { ownerOnly } from '../platform/file-modes';
import type { CallingWindow, ContactCounts } from '../workflows/outreach-definitions';
import type { ActivityDeps } from './deps';

export interface PlanWaveInput {
  campaignKey: string;
  ledger: string;
  /** The wave this plan is for (1 is the first). */
  wave: number;
  /** The workflow's "now": the plan is a function of its input, so a retried attempt writes the same files. */
  nowMs: number;
  variableColumns: string[];
  window?: CallingWindow;
  deadline?: string;
  maxCallsPerNumberPerDay?: number;
}

/** What the campaign does next: run a wave now, wait until one can start, or nothing (no contact has a chance left). */
export type WavePlan =
  | {
      kind: 'wave';
      /** A Bolna start mark: Bolna keeps it as asked. */
      startAt: string;
      /** When the wave must stop at the latest: its contacts' window closes, or the deadline. */
      stopAt?: string;
      contacts: number;
      /** The wave's contact list, in the results store, and the ledger with its contacts in the wave. */
      csv: string;
      ledger: string;
      counts: ContactCounts;
      reason: string;
    }
  | {
      kind: 'wait';
      startAt: string;
      /** When to plan again: the wave then planned starts at `startAt`, unless things changed. */
      planAt: string;
      contacts: number;
      reason: string;
    }
  | { kind: 'done' };

/**
 * Plans the next wave from the ledger: the earliest instant any waiting contact may be called (after the lead and
 * the set-up of a batch, its retry delay, inside its window, under its daily cap, before the deadline). If that is
 * the earliest a wave can start, the contacts that may be called then make the wave: their list is written for its
 * batch, and they are marked in the wave in a new ledger version. Otherwise the campaign waits until then.
 * Two streamed passes over the ledger; memory does not grow with the campaign.
 */
export function planWaveActivity(deps: Pick<ActivityDeps, 'resultsStore' | 'rules'>) {
  return async function planWave(input: PlanWaveInput): Promise<WavePlan> {
    const rules = planRules(input, deps.rules);
    const earliest = new EarliestChance();
    for await (const contact of readLedger(await deps.resultsStore.get(input.ledger))) {
      earliest.consider(nextChance(contact, rules));
    }
    const { startMs } = earliest;
    if (startMs === undefined) return { kind: 'done' };
    const reason = earliest.reason;
    if (startMs > rules.earliestStartMs) {
      return {
        kind: 'wait',
        startAt: new Date(startMs).toISOString(),
        planAt: new Date(firstPlanFor(startMs, deps.rules)).toISOString(),
        contacts: earliest.members,
        reason,
      };
    }

    const staging = await deps.resultsStore.stage(input.campaignKey);
    try {
      const ledgerName = `ledger-${input.wave}-planned.jsonl`;
      const csvName = `wave-${input.wave}.csv`;
      const ledger = new LedgerWriter(join(staging.folder, ledgerName));
      const csv = new WaveCsv(join(staging.folder, csvName), input.variableColumns);
      let stopMs = rules.deadlineMs;
      for await (const contact of readLedger(await deps.resultsStore.get(input.ledger))) {
        const chance = nextChance(contact, rules);
        if (chance?.startMs !== startMs) {
          await ledger.add(contact);
          continue;
        }
        if (chance.endMs !== undefined) stopMs = Math.min(stopMs ?? chance.endMs, chance.endMs);
        await csv.add(contact.number, contact.variables);
        await ledger.add({ ...contact, state: 'in-wave', wave: input.wave });
      }
      await Promise.all([ledger.close(), csv.close()]);
      return {
        kind: 'wave',
        startAt: new Date(startMs).toISOString(),
        ...(stopMs !== undefined ? { stopAt: new Date(stopMs).toISOString() } : {}),
        contacts: ledger.counts['in-wave'],
        csv: await staging.keep(csvName),
        ledger: await staging.keep(ledgerName),
        counts: ledger.counts,
        reason,
      };
    } finally {
      await staging.release();
    }
  };
}

/**
 * A wave planned now starts at the first Bolna mark at least two leads away: one lead for Bolna, one for the batch
 * to be checked, uploaded and scheduled first. Should the batch still reach Bolna too late for that mark, it starts
 * at a later one before the wave's stop (see `startBy` in batchCampaign).
 */
function planRules(input: PlanWaveInput, rules: ActivityDeps['rules']): PlanRules {
  return {
    earliestStartMs: roundUpToMark(input.nowMs + planningLeadMs(rules), rules),
    ...(input.deadline ? { deadlineMs: parseIsoWithOffset(input.deadline).getTime() } : {}),
    ...(input.maxCallsPerNumberPerDay ? { maxCallsPerNumberPerDay: input.maxCallsPerNumberPerDay } : {}),
    calendar: waveCalendar(input.window, rules),
  };
}

function planningLeadMs(rules: ActivityDeps['rules']): number {
  return 2 * rules.minLeadMs;
}

/**
 * The first instant a plan starts its wave at the mark `startMs`: its earliest start rounds up to that mark from any
 * instant of the rounding before it. Planning again there, not at the last such instant, lets the workflow's timer
 * fire late (it always does, by milliseconds at least) without the wave slipping to the next mark.
 */
function firstPlanFor(startMs: number, rules: ActivityDeps['rules']): number {
  return startMs - planningLeadMs(rules) - rules.roundingMs + 1;
}

/** A wave's contact list for Bolna: `contact_number` and the campaign's variables, as the clean CSV had them. */
class WaveCsv {
  readonly #file;
  readonly #csv;

  constructor(path: string, variableColumns: readonly string[]) {
    this.#file = createWriteStream(path, { mode: ownerOnly });
    this.#csv = stringify({ header: true, columns: [contactNumberColumn, ...variableColumns] });
    this.#csv.pipe(this.#file);
  }

  async add(number: string, variables: readonly string[]): Promise<void> {
    if (!this.#csv.write([number, ...variables])) await once(this.#csv, 'drain');
  }

  async close(): Promise<void> {
    this.#csv.end();
    await once(this.#file, 'finish');
  }
}
