import type { Command } from 'commander';
import { findCampaign } from '../../campaigns';
import { progressQuery } from '../../workflows/definitions';
import type { CliContext } from '../context';
import { exitCodes } from '../exit-codes';
import { describeProgress, print } from '../output';

export function addStatusCommand(program: Command, { connect, exits }: CliContext): void {
  program
    .command('status <campaign>')
    .description("show a campaign's phase, batch and call counts (campaign name or workflow ID)")
    .option('--json', 'machine-readable output')
    .action(
      exits(async (campaign: string, options: { json?: boolean }) => {
        const handle = await findCampaign(await connect(), campaign);
        const progress = await handle.query(progressQuery);
        print(Boolean(options.json), progress, `${handle.workflowId}: ${describeProgress(progress)}`);
        return exitCodes.ok;
      }),
    );
}
