import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { BolnaBadRequestError } from '../bolna/errors';
import { chooseScheduledAt, roundUpToMark } from '../bolna/schedule-time';
import { parseBolnaTimestamp, parseIsoWithOffset } from '../bolna/timestamps';
import { failureTypes } from '../platform/failures';
import type { ActivityDeps } from './deps';

export interface ScheduleInput {
  batchId: string;
  startAt?: string;
  /** The latest start accepted: a later one is refused (`StartMissed`) before anything is sent. */
  startBy?: string;
  bypassCallGuardrails?: boolean;
}

export interface ScheduleOutcome {
  /** What we sent, with a numeric offset. */
  scheduledAt: string;
  /** When Bolna will start: what it reports, or the request rounded up to the next mark. */
  startsAt: string;
  /**
   * The requested `startAt` had passed (or was closer than Bolna's lead) by the time the batch was scheduled: it
   * starts as soon as Bolna allows instead.
   */
  startAtPassed?: boolean;
}

/** Bolna's answer to a `scheduled_at` it finds too close: "... at least 2 minutes in the future". */
const tooSoon = /in the future|in the past/i;

/**
 * Schedules the batch. The time is chosen here, at the moment of the call, from the later of our clock and Bolna's
 * (its `Date` header), so it is at least the lead ahead when Bolna reads it however long the workflow took to get
 * here and however far the worker's clock is behind. The start we report is the one
 * Bolna will use (read back from Bolna when it tells us, else the request rounded up to the next mark).
 */
export function scheduleBatchActivity(deps: Pick<ActivityDeps, 'bolna' | 'clock' | 'rules'>) {
  /** Rounding what Bolna reported is a no-op if it reports the real start, and right if it echoes the request. */
  function outcome(scheduledAtMs: number, reportedStartMs: number): ScheduleOutcome {
    return {
      scheduledAt: new Date(scheduledAtMs).toISOString(),
      startsAt: new Date(roundUpToMark(reportedStartMs, deps.rules)).toISOString(),
    };
  }

  return async function scheduleBatch(input: ScheduleInput): Promise<ScheduleOutcome> {
    const { attempt } = Context.current().info;
    // An earlier attempt (or a run before a reset) may have scheduled it already, its answer lost: never move the
    // start again. The answer also carries Bolna's clock, which the start must be ahead of.
    const batch = await deps.bolna.getBatch(input.batchId);
    const alreadyAt = parseBolnaTimestamp(batch.scheduled_at);
    if (batch.status !== 'created' && alreadyAt !== undefined) return outcome(alreadyAt, alreadyAt);
    const localNowMs = await deps.clock.now();
    const bolnaAheadMs = Math.max(0, (deps.bolna.lastServerDateMs ?? localNowMs) - localNowMs);
    const nowMs = localNowMs + bolnaAheadMs;
    const requestedMs = input.startAt === undefined ? undefined : parseIsoWithOffset(input.startAt).getTime();
    const earliestMs = chooseScheduledAt(nowMs, deps.rules, undefined, attempt);
    const scheduledAtMs = chooseScheduledAt(nowMs, deps.rules, requestedMs, attempt);
    if (input.startBy !== undefined && roundUpToMark(scheduledAtMs, deps.rules) > Date.parse(input.startBy)) {
      throw ApplicationFailure.create({
        type: failureTypes.StartMissed,
        message: `Bolna could start the batch at ${new Date(roundUpToMark(scheduledAtMs, deps.rules)).toISOString()} at the earliest, after its latest start ${input.startBy}`,
        nonRetryable: true,
      });
    }
    try {
      const response = await deps.bolna.scheduleBatch(input.batchId, {
        scheduledAt: new Date(scheduledAtMs),
        ...(input.bypassCallGuardrails === undefined
          ? {}
          : { bypassCallGuardrails: input.bypassCallGuardrails }),
      });
      const reported =
        parseBolnaTimestamp(response.startsAt) ??
        parseBolnaTimestamp((await deps.bolna.getBatch(input.batchId)).scheduled_at);
      const scheduled = {
        ...outcome(scheduledAtMs, reported ?? scheduledAtMs),
        ...(requestedMs !== undefined && requestedMs < earliestMs ? { startAtPassed: true } : {}),
      };
      log.info('Scheduled Bolna batch', { batchId: input.batchId, ...scheduled });
      return scheduled;
    } catch (error) {
      if (!(error instanceof BolnaBadRequestError) || !tooSoon.test(error.bolnaMessage ?? '')) throw error;
      // The request reached Bolna later than planned (it waited behind others, the network was slow), or Bolna's
      // clock or lead is further ahead than we knew. Never a reason to give the batch up: the next attempt chooses
      // its time afresh at its own request, with a wider margin (see chooseScheduledAt), until Bolna takes it.
      throw ApplicationFailure.create({
        type: failureTypes.ScheduleTooSoon,
        message: `Bolna found ${new Date(scheduledAtMs).toISOString()} too soon (our clock may be behind Bolna's): ${error.message}`,
        nonRetryable: false,
        nextRetryDelay: '1 second',
      });
    }
  };
}
