import type { WorkflowClient } from '@temporalio/client';
import type { Logger } from '@temporalio/common';
import { workflowType } from '../workflows/definitions';

/**
 * Keeps the running-campaigns gauge true by asking Temporal, not by counting starts and ends in memory: a counter
 * in one worker's memory is wrong as soon as a campaign starts on one worker and ends on another, and it restarts
 * at zero with the worker while the campaigns go on. Temporal's visibility knows what is open, whichever worker ran
 * it; so every worker counts, every `intervalMs`, and reports the same number.
 */
export interface RunningCampaignsOptions {
  client: { workflow: Pick<WorkflowClient, 'count'> };
  taskQueue: string;
  /** Called with each count. */
  report: (running: number) => void;
  logger: Logger;
  intervalMs: number;
}

/** Counts now and then every `intervalMs` until `stop()`. */
export function countRunningCampaigns(options: RunningCampaignsOptions): { stop(): void } {
  const query = runningCampaignsQuery(options.taskQueue);
  let failing = false;
  let counting: Promise<void> | undefined;
  const countOnce = async (): Promise<void> => {
    try {
      const { count } = await options.client.workflow.count(query);
      options.report(count);
      if (failing) options.logger.info('Counting running campaigns works again', { query });
      failing = false;
    } catch (error) {
      // Once per outage, not every interval; the gauge keeps its last value meanwhile.
      if (!failing) {
        options.logger.warn('Cannot count running campaigns; bolna_campaigns_running is stale', {
          query,
          error,
        });
      }
      failing = true;
    }
  };
  const tick = () => {
    // A count slower than the interval is not queued up behind itself.
    counting ??= countOnce().finally(() => (counting = undefined));
  };
  tick();
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Open `batchCampaign` workflows on the task queue, in Temporal's visibility query language. */
function runningCampaignsQuery(taskQueue: string): string {
  return `WorkflowType = '${workflowType}' AND ExecutionStatus = 'Running' AND TaskQueue = ${quoted(taskQueue)}`;
}

/** A visibility string literal. */
function quoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
