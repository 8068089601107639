import type { Command } from 'commander';
import { findCampaign, resumeCampaign } from '../../campaigns';
import type { CliContext } from '../context';
import { exitCodes } from '../exit-codes';
import { describePause, print } from '../output';

export function addResumeCommand(program: Command, { connect, exits }: CliContext): void {
  program
    .command('resume <campaign>')
    .description('resume a paused outreach campaign: it goes on with its next wave')
    .option('--json', 'machine-readable output')
    .action(
      exits(async (campaign: string, options: { json?: boolean }) => {
        const resumed = await resumeCampaign(
          await findCampaign(await connect(), campaign, { outreachFirst: true }),
        );
        print(Boolean(options.json), resumed, describePause('resume', resumed));
        return exitCodes.ok;
      }),
    );
}
