import type { Command } from 'commander';
import { findCampaign, stopCampaign } from '../../campaigns';
import type { CliContext } from '../context';
import { exitCodes } from '../exit-codes';
import { describeStop, print } from '../output';

export function addStopCommand(program: Command, { connect, exits }: CliContext): void {
  program
    .command('stop <campaign>')
    .description('stop a campaign in any phase; calls made so far are still collected')
    .option('--reason <text>', 'recorded in the campaign state and result')
    .option('--json', 'machine-readable output')
    .action(
      exits(async (campaign: string, options: { reason?: string; json?: boolean }) => {
        const stopped = await stopCampaign(await findCampaign(await connect(), campaign), options.reason);
        print(Boolean(options.json), stopped, describeStop(stopped));
        return exitCodes.ok;
      }),
    );
}
