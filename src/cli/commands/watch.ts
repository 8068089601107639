import type { Command } from 'commander';
import { campaignKind, findCampaign, waitForEnd, waitForOutreachEnd } from '../../campaigns';
import { checkCampaignArgument } from '../checks';
import type { CliContext } from '../context';
import { exitCodeOf, outreachExitCode, resultOrExit } from '../exit-codes';
import { describeResult, print, watchCampaign } from '../output';
import { describeOutreachResult, watchOutreach } from '../outreach-output';

export function addWatchCommand(program: Command, { action }: CliContext): void {
  program
    .command('watch <campaign>')
    .description('follow a campaign live until it ends, then print its results')
    .option('--json', 'machine-readable output at the end')
    .action(
      action(
        (campaign: string, options: { json?: boolean }) => {
          checkCampaignArgument(campaign);
          return { campaign, options };
        },
        async ({ campaign, options }, client) => {
          const handle = await findCampaign(client, campaign);
          if ((await campaignKind(handle)) === 'outreach') {
            await watchOutreach(handle);
            const result = resultOrExit(await waitForOutreachEnd(handle), handle.workflowId, 'outreach');
            print(Boolean(options.json), result, describeOutreachResult(result));
            return outreachExitCode(result);
          }
          await watchCampaign(handle);
          const result = resultOrExit(await waitForEnd(handle), handle.workflowId, 'batch');
          print(Boolean(options.json), result, describeResult(result));
          return exitCodeOf(result);
        },
      ),
    );
}
