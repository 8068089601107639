import type { Command } from 'commander';
import { campaignKind, findCampaign, waitForEnd, waitForOutreachEnd } from '../../campaigns';
import { checkCampaignArgument } from '../checks';
import type { CliContext } from '../context';
import { exitCodeOf, outreachExitCode, resultOrExit } from '../exit-codes';
import { describeResult, print } from '../output';
import { describeOutreachResult } from '../outreach-output';

export function addResultsCommand(program: Command, { action }: CliContext): void {
  program
    .command('results <campaign>')
    .description(
      'wait for a campaign to end and print its summary and where the per-call results are ' +
        '(an outreach campaign: the per-contact files and the report)',
    )
    .option('--json', 'machine-readable output')
    .action(
      action(
        (campaign: string, options: { json?: boolean }) => {
          checkCampaignArgument(campaign);
          return { campaign, options };
        },
        async ({ campaign, options }, client) => {
          const handle = await findCampaign(client, campaign);
          if ((await campaignKind(handle)) === 'outreach') {
            const result = resultOrExit(await waitForOutreachEnd(handle), handle.workflowId, 'outreach');
            print(Boolean(options.json), result, describeOutreachResult(result));
            return outreachExitCode(result);
          }
          const result = resultOrExit(await waitForEnd(handle), handle.workflowId, 'batch');
          print(Boolean(options.json), result, describeResult(result));
          return exitCodeOf(result);
        },
      ),
    );
}
