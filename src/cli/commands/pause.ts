import type { Command } from 'commander';
import { findCampaign, pauseCampaign } from '../../campaigns';
import { checkCampaignArgument } from '../checks';
import type { CliContext } from '../context';
import { exitCodes } from '../exit-codes';
import { describePause, print } from '../output';

export function addPauseCommand(program: Command, { action }: CliContext): void {
  program
    .command('pause <campaign>')
    .description(
      'pause an outreach campaign: its running wave is stopped, contacts not yet called wait for resume',
    )
    .option('--reason <text>', 'recorded in the campaign state')
    .option('--json', 'machine-readable output')
    .action(
      action(
        (campaign: string, options: { reason?: string; json?: boolean }) => {
          checkCampaignArgument(campaign);
          return { campaign, options };
        },
        async ({ campaign, options }, client) => {
          const paused = await pauseCampaign(
            await findCampaign(client, campaign, { outreachFirst: true }),
            options.reason,
          );
          print(Boolean(options.json), paused, describePause('pause', paused));
          return exitCodes.ok;
        },
      ),
    );
}
