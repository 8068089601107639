import type { Command } from 'commander';
import { campaignKind, findCampaign, waitForEnd, waitForOutreachEnd } from '../../campaigns';
import type { CliContext } from '../context';
import { exitCodeOf, outreachExitCode, resultOrExit } from '../exit-codes';
import { describeResult, print } from '../output';
import { describeOutreachResult } from '../outreach-output';

export function addResultsCommand(program: Command, { connect, exits }: CliContext): void {
  program
    .command('results <campaign>')
    .description(
      'wait for a campaign to end and print its summary and where the per-call results are ' +
        '(an outreach campaign: the per-contact files and the report)',
    )
    .option('--json', 'machine-readable output')
    .action(
      exits(async (campaign: string, options: { json?: boolean }) => {
        const handle = await findCampaign(await connect(), campaign);
        if ((await campaignKind(handle)) === 'outreach') {
          const result = resultOrExit(await waitForOutreachEnd(handle), handle.workflowId);
          print(Boolean(options.json), result, describeOutreachResult(result));
          return outreachExitCode(result);
        }
        const result = resultOrExit(await waitForEnd(handle), handle.workflowId);
        print(Boolean(options.json), result, describeResult(result));
        return exitCodeOf(result);
      }),
    );
}
