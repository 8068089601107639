import type { Command } from 'commander';
import { scheduleCampaign } from '../../campaigns';
import { loadConfig } from '../../config';
import type { CliContext } from '../context';
import { exitCodes } from '../exit-codes';
import { campaignInput, withCampaignOptions } from '../options';
import type { CampaignCliOptions } from '../options';
import { print } from '../output';

interface ScheduleOptions extends CampaignCliOptions {
  cron: string[];
  timezone?: string;
}

export function addScheduleCommand(program: Command, { connect, exits }: CliContext): void {
  withCampaignOptions(
    program
      .command('schedule')
      .description('run a campaign on a recurring Temporal Schedule (each run is its own campaign)')
      .requiredOption('--cron <expression...>', "when to run, e.g. '0 10 * * MON-FRI'")
      .option('--timezone <iana>', 'time zone of the cron, e.g. Asia/Kolkata (default UTC)'),
  ).action(
    exits(async (options: ScheduleOptions) => {
      const config = loadConfig();
      const scheduled = await scheduleCampaign({
        client: await connect(),
        input: campaignInput(options),
        cron: options.cron,
        taskQueue: config.taskQueue,
        validateLocally: !options.csvOnWorker,
        ...(options.timezone ? { timezone: options.timezone } : {}),
        ...(options.name ? { name: options.name } : {}),
      });
      print(
        Boolean(options.json),
        { scheduleId: scheduled.scheduleId },
        `Scheduled ${scheduled.scheduleId} (${options.cron.join(', ')}); manage it with 'temporal schedule'`,
      );
      return exitCodes.ok;
    }),
  );
}
