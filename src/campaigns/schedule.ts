import type { ScheduleHandle } from '@temporalio/client';
import type { CsvSummary } from '../csv';
import { campaignWorkflowId, defaultTaskQueue, workflowType } from '../workflows/definitions';
import { checkInputLocally, defaultCampaignName } from './checked-input';
import type { StartCampaignOptions } from './start';

export interface ScheduleCampaignOptions extends StartCampaignOptions {
  /** Cron expressions, e.g. `0 10 * * MON-FRI` for 10:00 on weekdays. */
  cron: string[];
  /** IANA time zone the cron is read in, e.g. `Asia/Kolkata`. Default UTC. */
  timezone?: string;
}

/**
 * A recurring campaign on a Temporal Schedule: each run is its own `batchCampaign` workflow (the schedule appends
 * the run time to the ID), with its own batch and results folder, reading the CSV afresh. A run that would start
 * while the previous one is still calling is skipped rather than overlapped. A local CSV is checked now and sent
 * as an absolute path, but without a digest: each run reads the file as it is by then, changes included.
 */
export async function scheduleCampaign(
  options: ScheduleCampaignOptions,
): Promise<{ handle: ScheduleHandle; scheduleId: string; csv?: CsvSummary }> {
  const { input } = options;
  const { sent, csv } = await checkInputLocally(input, options.validateLocally !== false, false);
  const name = options.name ?? defaultCampaignName(input.csv);
  const scheduleId = campaignWorkflowId(name);
  const handle = await options.client.schedule.create({
    scheduleId,
    spec: { cronExpressions: options.cron, ...(options.timezone ? { timezone: options.timezone } : {}) },
    action: {
      type: 'startWorkflow',
      workflowType,
      workflowId: scheduleId,
      taskQueue: options.taskQueue ?? defaultTaskQueue,
      // Every run is found under the schedule's name, whatever time its workflow ID carries.
      args: [{ campaignName: name, ...sent }],
      staticSummary: `Recurring Bolna campaign ${name} · agent ${input.agentId}`,
    },
    policies: { overlap: 'SKIP' },
  });
  return { handle, scheduleId, ...(csv ? { csv } : {}) };
}
