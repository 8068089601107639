import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import {
  checkOutreachInput,
  checkScheduleOptions,
  defaultCatchupWindow,
  scheduleCampaign,
  scheduleOutreach,
} from '../../campaigns';
import { checkRunDate } from '../../campaigns/checked-input';
import { catchupWindowProblem } from '../../campaigns/schedule';
import { loadConfig } from '../../config';
import { checkCampaignInput } from '../../inputs/campaign-input';
import { durationMs } from '../../platform/duration';
import { checkLocalFiles, checkNameOption, checkOptions, checkTimeZoneOption } from '../checks';
import type { CliContext } from '../context';
import { exitCodes } from '../exit-codes';
import { campaignInput, withCampaignOptions } from '../options';
import type { CampaignCliOptions } from '../options';
import { print } from '../output';
import { outreachFields, withOutreachOptions } from '../outreach-options';
import type { OutreachCliOptions } from '../outreach-options';

interface ScheduleOptions extends CampaignCliOptions, OutreachCliOptions {
  cron: string[];
  timezone?: string;
  catchupWindow?: number;
}

/** `--catchup-window`, in milliseconds. */
const catchupWindow = (value: string): number => {
  const problem = catchupWindowProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return durationMs(value)!;
};

export function addScheduleCommand(program: Command, { action }: CliContext): void {
  withOutreachOptions(
    withCampaignOptions(
      program
        .command('schedule')
        .description(
          'run a campaign on a recurring Temporal Schedule (each run is its own campaign); with an outreach ' +
            "option an outreachCampaign, whose --csv may carry {date}: each run's date in --timezone, e.g. leads/{date}.csv",
        )
        .requiredOption('--cron <expression...>', "when to run, e.g. '0 10 * * MON-FRI'")
        .option('--timezone <iana>', 'time zone of the cron and of {date}, e.g. Asia/Kolkata (default UTC)')
        .option(
          '--catchup-window <duration>',
          'after a Temporal outage, how late a missed run may still start; keep it shorter than the time between ' +
            `runs, so only the latest missed run starts (default ${defaultCatchupWindow})`,
          catchupWindow,
        ),
    ),
    { deadline: false },
  ).action(
    action(
      async (options: ScheduleOptions) => {
        const config = loadConfig();
        const outreach = outreachFields(options);
        const input = campaignInput(options);
        const now = Date.now();
        // First, for its words: the library's own check of the zone does not repeat the value.
        checkTimeZoneOption(options.timezone);
        checkOptions(() => {
          checkScheduleOptions({
            cron: options.cron,
            ...(options.timezone ? { timezone: options.timezone } : {}),
          });
          checkRunDate(input.csv, {
            scheduledOutreach: outreach !== undefined,
            named: options.name !== undefined,
          });
          if (outreach) checkOutreachInput({ ...input, ...outreach }, now, config.bolna.rules);
          else checkCampaignInput(input, now);
        });
        checkNameOption(options.name);
        if (!options.csvOnWorker) await checkLocalFiles(input.csv, outreach?.suppress);
        return { options, config, input, outreach };
      },
      async ({ options, config, input, outreach }, client) => {
        const shared = {
          cron: options.cron,
          taskQueue: config.taskQueue,
          validateLocally: !options.csvOnWorker,
          ...(options.timezone ? { timezone: options.timezone } : {}),
          ...(options.catchupWindow !== undefined ? { catchupWindow: options.catchupWindow } : {}),
          ...(options.name ? { name: options.name } : {}),
        };
        const scheduled = outreach
          ? await scheduleOutreach({
              ...shared,
              client,
              input: { ...input, ...outreach },
              rules: config.bolna.rules,
            })
          : await scheduleCampaign({ ...shared, client, input });
        print(
          Boolean(options.json),
          { scheduleId: scheduled.scheduleId },
          `Scheduled ${scheduled.scheduleId} (${options.cron.join(', ')}); manage it with 'temporal schedule'`,
        );
        return exitCodes.ok;
      },
    ),
  );
}
