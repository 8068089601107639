import type { Command } from 'commander';
import { startCampaign, waitForEnd } from '../../campaigns';
import { loadConfig } from '../../config';
import type { CliContext } from '../context';
import { exitCodeOf, exitCodes, resultOrExit } from '../exit-codes';
import { campaignInput, withCampaignOptions } from '../options';
import type { CampaignCliOptions } from '../options';
import { describeResult, print, watchCampaign } from '../output';

interface StartOptions extends CampaignCliOptions {
  startAt?: string;
  watch?: boolean;
}

export function addStartCommand(program: Command, { connect, exits }: CliContext): void {
  withCampaignOptions(
    program
      .command('start')
      .description('validate the CSV here, then start a campaign (refused if one with that name exists)')
      .option('--start-at <iso8601>', 'earliest start, any offset, e.g. 2026-12-01T10:00:00+05:30')
      .option('--watch', 'follow progress until the campaign ends'),
  ).action(
    exits(async (options: StartOptions) => {
      const config = loadConfig();
      const client = await connect();
      const started = await startCampaign({
        client,
        input: { ...campaignInput(options), ...(options.startAt ? { startAt: options.startAt } : {}) },
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
      const result = resultOrExit(await waitForEnd(started.handle), started.workflowId);
      print(json, { ...startedJson, result }, describeResult(result));
      return exitCodeOf(result);
    }),
  );
}
