import { conversationSeconds } from '../bolna/schemas';
import { callOutcome, isTerminalCallStatus } from '../bolna/statuses';
import { parseBolnaTimestamp } from '../bolna/timestamps';
import { BucketCounts } from './bucket-counts';
import { ExtractedDataTally } from './extracted-data';
import { orderOutcomes } from './outcomes';
import type { ReportedExecution } from './read-executions';
import type { CampaignReport, ReportedCampaign, TalkTime, Timeline } from './report-data';
import { reportFormatVersion } from './report-data';

/** Accumulation widths of the timeline, in seconds: each a multiple of the one before (10 s … a day). */
const timelineWidths = [10, 30, 60, 300, 600, 1800, 3600, 7200, 21_600, 43_200, 86_400];
/** Bucket widths the timeline may show: round durations people read at a glance. */
const timelineSteps = [10, 30, 60, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];
const maxTimelineBuckets = 48;
/** Accumulation widths of talk time, in seconds. */
const talkTimeWidths = [1, 5, 10, 30, 60, 300, 600, 1800, 3600];
const talkTimeSteps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
const maxTalkTimeBins = 24;

const placedSeries = 'placed';
const talkSeries = 'answered';

/** The campaign facts the report's header shows, from the workflow or its caller. */
export type CampaignFacts = Omit<ReportedCampaign, 'firstCallAt' | 'lastCallAt' | 'warnings'> & {
  warnings?: readonly string[];
};

/**
 * The report's figures, built one execution at a time with nothing per call kept: counts per outcome, sums, bucket
 * counts of bounded size and the extracted-data tally. Memory does not grow with the number of calls.
 */
export class ReportTally {
  #calls = 0;
  #unreadableLines = 0;
  readonly #outcomes = new Map<string, number>();
  #costCents = 0;
  #callsWithoutCost = 0;
  #answered = 0;
  #answeredWithoutDuration = 0;
  #talkSeconds = 0;
  readonly #talkTime = new BucketCounts(talkTimeWidths);
  readonly #timeline = new BucketCounts(timelineWidths);
  #callsWithoutTimes = 0;
  #firstCallMs = Infinity;
  #lastCallMs = -Infinity;
  readonly #extracted = new ExtractedDataTally();

  addUnreadableLine(): void {
    this.#unreadableLines += 1;
  }

  add(execution: ReportedExecution): void {
    this.#calls += 1;
    const outcome = callOutcome(execution);
    this.#outcomes.set(outcome, (this.#outcomes.get(outcome) ?? 0) + 1);

    if (typeof execution.total_cost === 'number') this.#costCents += execution.total_cost;
    else this.#callsWithoutCost += 1;

    if (outcome === 'answered') {
      this.#answered += 1;
      const seconds = conversationSeconds(execution);
      if (seconds === undefined) this.#answeredWithoutDuration += 1;
      else {
        this.#talkSeconds += seconds;
        this.#talkTime.add(seconds, talkSeries);
      }
    }

    this.#addTimes(execution, outcome);
    this.#extracted.add(execution.extracted_data);
  }

  #addTimes(execution: ReportedExecution, outcome: string): void {
    const createdMs = parseBolnaTimestamp(execution.created_at);
    const updatedMs = parseBolnaTimestamp(execution.updated_at);
    if (createdMs !== undefined) this.#firstCallMs = Math.min(this.#firstCallMs, createdMs);
    if (updatedMs !== undefined) this.#lastCallMs = Math.max(this.#lastCallMs, updatedMs);
    const placed = execution.telephony_data !== null && execution.telephony_data !== undefined;
    const ended = isTerminalCallStatus(execution.status);
    if ((placed && createdMs === undefined) || (ended && updatedMs === undefined))
      this.#callsWithoutTimes += 1;
    if (placed && createdMs !== undefined) this.#timeline.add(createdMs / 1000, placedSeries);
    if (ended && updatedMs !== undefined) this.#timeline.add(updatedMs / 1000, outcome);
  }

  report(campaign: CampaignFacts, generatedAt: Date): CampaignReport {
    const outcomes = orderOutcomes(this.#outcomes).map(([outcome, calls]) => ({
      outcome,
      calls,
      share: this.#calls === 0 ? 0 : calls / this.#calls,
    }));
    return {
      reportFormatVersion,
      generatedAt: generatedAt.toISOString(),
      campaign: {
        ...campaign,
        ...(Number.isFinite(this.#firstCallMs)
          ? { firstCallAt: new Date(this.#firstCallMs).toISOString() }
          : {}),
        ...(Number.isFinite(this.#lastCallMs)
          ? { lastCallAt: new Date(this.#lastCallMs).toISOString() }
          : {}),
        warnings: [...(campaign.warnings ?? []), ...this.#warnings(campaign)],
      },
      calls: { total: this.#calls, unreadableLines: this.#unreadableLines },
      outcomes,
      cost: {
        totalCents: roundCents(this.#costCents),
        perAnsweredCallCents: this.#answered === 0 ? null : roundCents(this.#costCents / this.#answered),
        callsWithoutCost: this.#callsWithoutCost,
      },
      talkTime: this.#talkTimeFigures(),
      timeline: this.#timelineFigures(),
      extractedData: this.#extracted.summary(),
    };
  }

  /** What the figures themselves say an operator should know. */
  #warnings(campaign: CampaignFacts): string[] {
    const balanceLow = this.#outcomes.get('balance-low') ?? 0;
    return [
      balanceLow > 0 &&
        `${balanceLow} call(s) were not placed because the Bolna wallet ran out (balance-low): top up and run them again.`,
      campaign.droppedRows > 0 &&
        `Bolna dropped ${campaign.droppedRows} row(s) of the contact list as invalid: they were never called.`,
      campaign.missingRows > 0 &&
        `${campaign.missingRows} row(s) have no result in Bolna's listings: their outcome is unknown.`,
      this.#unreadableLines > 0 &&
        `${this.#unreadableLines} line(s) of the executions file(s) were not executions and were skipped.`,
    ].filter((warning): warning is string => typeof warning === 'string');
  }

  #talkTimeFigures(): TalkTime {
    const range = this.#talkTime.range;
    const step = this.#talkTime.stepFor(talkTimeSteps, maxTalkTimeBins, 0);
    const bins = this.#talkTime.groups(step, 0).map(({ start, counts }) => ({
      fromSeconds: start,
      toSeconds: start + step,
      calls: counts.get(talkSeries) ?? 0,
    }));
    const timed = this.#answered - this.#answeredWithoutDuration;
    return {
      answeredCalls: this.#answered,
      withoutDuration: this.#answeredWithoutDuration,
      totalSeconds: round(this.#talkSeconds, 1),
      meanSeconds: timed === 0 ? null : round(this.#talkSeconds / timed, 1),
      medianSeconds: this.#medianSeconds(timed),
      minSeconds: range?.min ?? null,
      maxSeconds: range?.max ?? null,
      bins,
    };
  }

  /** The start of the finest bucket holding the middle call. */
  #medianSeconds(timed: number): number | null {
    if (timed === 0) return null;
    const width = this.#talkTime.width;
    let seen = 0;
    for (const { start, counts } of this.#talkTime.groups(width)) {
      seen += counts.get(talkSeries) ?? 0;
      if (seen >= timed / 2) return start;
    }
    return null;
  }

  #timelineFigures(): Timeline {
    const step = this.#timeline.stepFor(timelineSteps, maxTimelineBuckets);
    const buckets = this.#timeline.groups(step).map(({ start, counts }) => {
      const ended = Object.fromEntries([...counts].filter(([series]) => series !== placedSeries));
      return {
        start: new Date(start * 1000).toISOString(),
        end: new Date((start + step) * 1000).toISOString(),
        placed: counts.get(placedSeries) ?? 0,
        ended,
      };
    });
    return { bucketSeconds: step, buckets, callsWithoutTimes: this.#callsWithoutTimes };
  }
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Bolna's costs carry fractions of a cent; sums of them pick up floating-point dust. */
function roundCents(cents: number): number {
  return round(cents, 4);
}
