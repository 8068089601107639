import type { Command } from 'commander';
import { findCampaign, pauseCampaign } from '../../campaigns';
import type { CliContext } from '../context';
import { exitCodes } from '../exit-codes';
import { describePause, print } from '../output';

export function addPauseCommand(program: Command, { connect, exits }: CliContext): void {
  program
    .command('pause <campaign>')
    .description(
      'pause an outreach campaign: its running wave is stopped, contacts not yet called wait for resume',
    )
    .option('--reason <text>', 'recorded in the campaign state')
    .option('--json', 'machine-readable output')
    .action(
      exits(async (campaign: string, options: { reason?: string; json?: boolean }) => {
        const paused = await pauseCampaign(
          await findCampaign(await connect(), campaign, { outreachFirst: true }),
          options.reason,
        );
        print(Boolean(options.json), paused, describePause('pause', paused));
        return exitCodes.ok;
      }),
    );
}
