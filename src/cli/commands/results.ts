import type { Command } from 'commander';
import { findCampaign, waitForEnd } from '../../campaigns';
import type { CliContext } from '../context';
import { exitCodeOf, resultOrExit } from '../exit-codes';
import { describeResult, print } from '../output';

export function addResultsCommand(program: Command, { connect, exits }: CliContext): void {
  program
    .command('results <campaign>')
    .description('wait for a campaign to end and print its summary and where the per-call results are')
    .option('--json', 'machine-readable output')
    .action(
      exits(async (campaign: string, options: { json?: boolean }) => {
        const handle = await findCampaign(await connect(), campaign);
        const result = resultOrExit(await waitForEnd(handle), handle.workflowId);
        print(Boolean(options.json), result, describeResult(result));
        return exitCodeOf(result);
      }),
    );
}
