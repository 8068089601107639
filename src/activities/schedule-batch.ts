import { Context, log } from '@temporalio/activity';
import { parseBolnaTimestamp, parseIsoWithOffset } from '../bolna/timestamps';
import type { ActivityDeps } from './deps';
import { chooseScheduledAt, roundUpToMark } from './schedule-time';

export interface ScheduleInput {
  batchId: string;
  startAt?: string;
  bypassCallGuardrails?: boolean;
}

export interface ScheduleOutcome {
  /** What we sent, with a numeric offset. */
  scheduledAt: string;
  /** When Bolna will start: what it reports, or the request rounded up to the next mark. */
  startsAt: string;
}

/**
 * Schedules the batch. The time is chosen here, from a real clock at the moment of the call, so it is at least
 * the lead ahead when Bolna reads it however long the workflow took to get here. The start we report is the one
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
    if (Context.current().info.attempt > 1) {
      // An earlier attempt may have scheduled it already (its response lost): don't move the start again.
      const batch = await deps.bolna.getBatch(input.batchId);
      const alreadyAt = parseBolnaTimestamp(batch.scheduled_at);
      if (batch.status !== 'created' && alreadyAt !== undefined) return outcome(alreadyAt, alreadyAt);
    }
    const requestedMs = input.startAt === undefined ? undefined : parseIsoWithOffset(input.startAt).getTime();
    const scheduledAtMs = chooseScheduledAt(await deps.clock.now(), deps.rules, requestedMs);
    const response = await deps.bolna.scheduleBatch(input.batchId, {
      scheduledAt: new Date(scheduledAtMs),
      ...(input.bypassCallGuardrails === undefined
        ? {}
        : { bypassCallGuardrails: input.bypassCallGuardrails }),
    });
    const reported =
      parseBolnaTimestamp(response.startsAt) ??
      parseBolnaTimestamp((await deps.bolna.getBatch(input.batchId)).scheduled_at);
    const scheduled = outcome(scheduledAtMs, reported ?? scheduledAtMs);
    log.info('Scheduled Bolna batch', { batchId: input.batchId, ...scheduled });
    return scheduled;
  };
}
