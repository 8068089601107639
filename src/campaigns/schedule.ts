import type { ScheduleHandle, ScheduleOptionsStartWorkflowAction, Workflow } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { ScheduleRules } from '../bolna/schedule-time';
import { bolnaScheduleRules } from '../bolna/schedule-time';
import type { CsvSummary } from '../csv';
import { checkCampaignInput, InvalidCampaignInputError } from '../inputs/campaign-input';
import type { FieldProblem } from '../inputs/campaign-input';
import { checkOutreachInput, ianaTimeZoneProblem } from '../inputs/outreach-input';
import { durationMs, inWords } from '../platform/duration';
import { campaignWorkflowId, defaultTaskQueue, workflowType } from '../workflows/definitions';
import { outreachWorkflowId, outreachWorkflowType } from '../workflows/outreach-definitions';
import type { OutreachInput } from '../workflows/outreach-definitions';
import { checkInputLocally, checkRunDate, defaultCampaignName } from './checked-input';
import { cronProblems, cronTimeZone } from './cron';
import type { StartCampaignOptions } from './start';

export interface ScheduleCampaignOptions extends StartCampaignOptions {
  /** Cron expressions, e.g. `0 10 * * MON-FRI` for 10:00 on weekdays. */
  cron: string[];
  /** IANA time zone the cron is read in, e.g. `Asia/Kolkata`. Default UTC. */
  timezone?: string;
  /**
   * How late a run may still start when Temporal could not start it on time (an outage of the server): a duration
   * as Temporal's SDK writes it (`'6 hours'`) or milliseconds. Default `defaultCatchupWindow`. Keep it shorter than
   * the time between two runs: see `defaultCatchupWindow`.
   */
  catchupWindow?: Duration;
}

export interface ScheduleOutreachOptions extends Omit<ScheduleCampaignOptions, 'input'> {
  /**
   * Each run's input. `csv` may carry `{date}`: each run calls the list of the day it was scheduled for, in the
   * schedule's zone (`timezone`, else the cron's `TZ=`, else UTC). `deadline` and `startAt` are refused: one
   * fixed time would be wrong for every later run.
   */
  input: OutreachInput;
  /** Bolna's scheduling rules the workers run with (BOLNA_SCHEDULE_*): default Bolna's own. */
  rules?: ScheduleRules;
}

export interface ScheduledCampaign {
  handle: ScheduleHandle;
  scheduleId: string;
  /** Present when the CSV was checked locally (not for a `{date}` CSV, whose lists do not exist yet). */
  csv?: CsvSummary;
}

/**
 * How late a scheduled run may start after Temporal was unable to start it on time. Temporal's own default is far
 * from what a campaign needs (the server takes a year when none is set; the SDK's docs speak of a minute): a year
 * would start campaigns days late, a minute would drop today's run after any outage longer than that. Six hours
 * rides out an outage of a working morning, and stays shorter than the day between two runs of a daily schedule:
 * after an outage the schedule takes the missed runs still inside the window, oldest first, and the overlap
 * policy (SKIP) drops the others while the first is running, so a window shorter than the time between runs means
 * the one run caught up is the most recent one, never a burst of stale ones. A run dropped for being too late is
 * counted by the schedule (`temporal schedule describe`: missed catch-up window); `backfill` can still run it.
 */
export const defaultCatchupWindow = '6 hours';

/** Temporal raises any catch-up window under 10 seconds to 10 seconds: a shorter one is refused, not rewritten. */
const minCatchupWindowMs = 10_000;

/** What is wrong with a catch-up window, in words; undefined when it is usable. */
export function catchupWindowProblem(window: number | string): string | undefined {
  const spanMs = typeof window === 'number' ? window : durationMs(window);
  if (spanMs === undefined || !Number.isFinite(spanMs)) {
    return `'${String(window)}' is not a duration: write it like '6 hours' or '90 minutes'`;
  }
  if (spanMs < minCatchupWindowMs) {
    return `${inWords(spanMs)} is shorter than Temporal's shortest catch-up window (${inWords(minCatchupWindowMs)})`;
  }
  return undefined;
}

/**
 * A recurring campaign on a Temporal Schedule: each run is its own `batchCampaign` workflow (the schedule appends
 * the run time to the ID), with its own batch and results folder, reading the CSV afresh. A run that would start
 * while the previous one is still calling is skipped rather than overlapped. A local CSV is checked now and sent
 * as an absolute path, but without a digest: each run reads the file as it is by then, changes included.
 */
export async function scheduleCampaign(options: ScheduleCampaignOptions): Promise<ScheduledCampaign> {
  const { input } = options;
  checkScheduleOptions(options);
  const { sent, csv } = await checkInputLocally(input, {
    checkInput: checkCampaignInput,
    validateLocally: options.validateLocally !== false,
    pinDigest: false,
  });
  const name = options.name ?? defaultCampaignName(input.csv);
  const scheduleId = campaignWorkflowId(name);
  const handle = await createSchedule(options, scheduleId, {
    type: 'startWorkflow',
    workflowType,
    workflowId: scheduleId,
    taskQueue: options.taskQueue ?? defaultTaskQueue,
    // Every run is found under the schedule's name, whatever time its workflow ID carries.
    args: [{ campaignName: name, ...sent }],
    staticSummary: `Recurring Bolna campaign ${name} · agent ${input.agentId}`,
  });
  return { handle, scheduleId, ...(csv ? { csv } : {}) };
}

/**
 * A recurring outreach campaign: each run is its own `outreachCampaign` (waves, retries, windows), under the
 * schedule `outreach-<name>`. As `scheduleCampaign` otherwise; the name is required when the CSV carries `{date}`
 * (its file name changes with every run).
 */
export async function scheduleOutreach(options: ScheduleOutreachOptions): Promise<ScheduledCampaign> {
  const { input } = options;
  const rules = options.rules ?? bolnaScheduleRules;
  checkScheduleOptions(options);
  const fixedTimes = (['startAt', 'deadline'] as const).filter((field) => input[field] !== undefined);
  const { sent, csv } = await checkInputLocally(input, {
    checkInput: (each, nowMs) => {
      checkOutreachInput(each, nowMs, rules);
      if (fixedTimes.length > 0) {
        throw new InvalidCampaignInputError(
          `Invalid outreach campaign input:\n  ${fixedTimes.join(', ')}: a schedule's runs all share one input, so a fixed time would be wrong for every later run; leave it out`,
        );
      }
      checkRunDate(each.csv, { scheduledOutreach: true, named: options.name !== undefined });
    },
    validateLocally: options.validateLocally !== false,
    pinDigest: false,
    runDate: true,
  });
  const name = options.name ?? defaultCampaignName(input.csv);
  const scheduleId = outreachWorkflowId(name);
  const handle = await createSchedule(options, scheduleId, {
    type: 'startWorkflow',
    workflowType: outreachWorkflowType,
    workflowId: scheduleId,
    taskQueue: options.taskQueue ?? defaultTaskQueue,
    // The zone `{date}` is read in, the one the schedule reads its cron in: the run cannot see the schedule's spec.
    args: [
      {
        campaignName: name,
        ...sent,
        scheduleTimeZone: options.timezone ?? cronTimeZone(options.cron) ?? 'UTC',
      },
    ],
    staticSummary: `Recurring Bolna outreach ${name} · agent ${input.agentId}`,
  });
  return { handle, scheduleId, ...(csv ? { csv } : {}) };
}

/**
 * Throws InvalidCampaignInputError naming what Temporal would refuse of a schedule's own options (its cron, time
 * zone and catch-up window), so a wrong one is refused before anything is read or sent.
 */
export function checkScheduleOptions(
  options: Pick<ScheduleCampaignOptions, 'cron' | 'timezone' | 'catchupWindow'>,
): void {
  const { cron, timezone, catchupWindow } = options;
  const zoneProblem = timezone === undefined ? undefined : ianaTimeZoneProblem(timezone);
  const windowProblem = catchupWindow === undefined ? undefined : catchupWindowProblem(catchupWindow);
  const problems: FieldProblem[] = [
    ...cronProblems(cron, timezone),
    ...(zoneProblem ? [{ field: 'timezone', value: timezone, problem: zoneProblem }] : []),
    ...(windowProblem ? [{ field: 'catchupWindow', value: catchupWindow, problem: windowProblem }] : []),
  ];
  if (problems.length > 0) throw InvalidCampaignInputError.of('schedule', problems);
}

function createSchedule(
  options: Omit<ScheduleCampaignOptions, 'input'>,
  scheduleId: string,
  action: ScheduleOptionsStartWorkflowAction<Workflow>,
): Promise<ScheduleHandle> {
  return options.client.schedule.create({
    scheduleId,
    spec: { cronExpressions: options.cron, ...(options.timezone ? { timezone: options.timezone } : {}) },
    action,
    policies: { overlap: 'SKIP', catchupWindow: options.catchupWindow ?? defaultCatchupWindow },
  });
}
