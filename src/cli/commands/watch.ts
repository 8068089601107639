import type { Command } from 'commander';
import { campaignKind, findCampaign, waitForEnd, waitForOutreachEnd } from '../../campaigns';
import type { CliContext } from '../context';
import { exitCodeOf, outreachExitCode, resultOrExit } from '../exit-codes';
import { describeResult, print, watchCampaign } from '../output';
import { describeOutreachResult, watchOutreach } from '../outreach-output';

export function addWatchCommand(program: Command, { connect, exits }: CliContext): void {
  program
    .command('watch <campaign>')
    .description('follow a campaign live until it ends, then print its results')
    .option('--json', 'machine-readable output at the end')
    .action(
      exits(async (campaign: string, options: { json?: boolean }) => {
        const handle = await findCampaign(await connect(), campaign);
        if ((await campaignKind(handle)) === 'outreach') {
          await watchOutreach(handle);
          const result = resultOrExit(await waitForOutreachEnd(handle), handle.workflowId);
          print(Boolean(options.json), result, describeOutreachResult(result));
          return outreachExitCode(result);
        }
        await watchCampaign(handle);
        const result = resultOrExit(await waitForEnd(handle), handle.workflowId);
        print(Boolean(options.json), result, describeResult(result));
        return exitCodeOf(result);
      }),
    );
}
