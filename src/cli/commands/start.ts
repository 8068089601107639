import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import {
  checkOutreachInput,
  startCampaign,
  startOutreach,
  waitForEnd,
  waitForOutreachEnd,
} from '../../campaigns';
import type { OutreachInput } from '../../campaigns';
import { checkRunDate } from '../../campaigns/checked-input';
import { loadConfig } from '../../config';
import type { Config } from '../../config';
import { checkCampaignInput } from '../../inputs/campaign-input';
import { checkLocalFiles, checkNameOption, checkOptions } from '../checks';
import type { CliContext } from '../context';
import { exitCodeOf, exitCodes, outreachExitCode, resultOrExit } from '../exit-codes';
import { campaignInput, withCampaignOptions } from '../options';
import type { CampaignCliOptions } from '../options';
import { describeResult, print, watchCampaign } from '../output';
import { outreachFields, withOutreachOptions } from '../outreach-options';
import type { OutreachCliOptions } from '../outreach-options';
import { describeOutreachResult, watchOutreach } from '../outreach-output';

interface StartOptions extends CampaignCliOptions, OutreachCliOptions {
  startAt?: string;
  watch?: boolean;
}

export function addStartCommand(program: Command, { action }: CliContext): void {
  withOutreachOptions(
    withCampaignOptions(
      program
        .command('start')
        .description(
          'validate the CSV here, then start a campaign (refused if one with that name exists); ' +
            'with an outreach option (--retry, --window, ...) an outreachCampaign of several waves',
        )
        .option('--start-at <iso8601>', 'earliest start, any offset, e.g. 2026-12-01T10:00:00+05:30')
        .option('--watch', 'follow progress until the campaign ends, then print its results'),
    ),
    { deadline: true },
  ).action(
    action(
      async (options: StartOptions) => {
        const config = loadConfig();
        const input = { ...campaignInput(options), ...(options.startAt ? { startAt: options.startAt } : {}) };
        const outreach = outreachFields(options);
        const now = Date.now();
        checkOptions(() => {
          // A {date} CSV only a schedule fills in.
          checkRunDate(input.csv, { scheduledOutreach: false, named: true });
          if (outreach) checkOutreachInput({ ...input, ...outreach }, now, config.bolna.rules);
          else checkCampaignInput(input, now);
        });
        checkNameOption(options.name);
        if (!options.csvOnWorker) await checkLocalFiles(input.csv, outreach?.suppress);
        return { options, config, input, outreach };
      },
      async ({ options, config, input, outreach }, client) => {
        if (outreach) return startOutreachCampaign(client, { ...input, ...outreach }, options, config);
        const started = await startCampaign({
          client,
          input,
          taskQueue: config.taskQueue,
          validateLocally: !options.csvOnWorker,
          ...(options.name ? { name: options.name } : {}),
        });
        const json = Boolean(options.json);
        const rows = started.csv ? `, ${started.csv.rows} contacts` : '';
        const startedJson = { workflowId: started.workflowId, rows: started.csv?.rows };
        if (!options.watch) {
          print(json, startedJson, `Started ${started.workflowId}${rows}`);
          return exitCodes.ok;
        }
        // One JSON document for scripts: what started and how it ended.
        if (!json) console.log(`Started ${started.workflowId}${rows}`);
        await watchCampaign(started.handle);
        const result = resultOrExit(await waitForEnd(started.handle), started.workflowId, 'batch');
        print(json, { ...startedJson, result }, describeResult(result));
        return exitCodeOf(result);
      },
    ),
  );
}

/** `start` with outreach options, once the whole input was checked. */
async function startOutreachCampaign(
  client: Client,
  input: OutreachInput,
  options: StartOptions,
  config: Config,
): Promise<number> {
  const started = await startOutreach({
    client,
    input,
    rules: config.bolna.rules,
    taskQueue: config.taskQueue,
    validateLocally: !options.csvOnWorker,
    ...(options.name ? { name: options.name } : {}),
  });
  const json = Boolean(options.json);
  const rows = started.csv ? `, ${started.csv.rows} contacts` : '';
  const startedJson = {
    workflowId: started.workflowId,
    workflowType: 'outreachCampaign',
    rows: started.csv?.rows,
  };
  const headline = `Started outreach campaign ${started.workflowId}${rows}`;
  if (!options.watch) {
    print(json, startedJson, headline);
    return exitCodes.ok;
  }
  // One JSON document for scripts, as for a batch campaign: what started and how it ended.
  if (!json) console.log(headline);
  await watchOutreach(started.handle);
  const result = resultOrExit(await waitForOutreachEnd(started.handle), started.workflowId, 'outreach');
  print(json, { ...startedJson, result }, describeOutreachResult(result));
  return outreachExitCode(result);
}
