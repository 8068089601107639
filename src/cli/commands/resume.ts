import type { Command } from 'commander';
import { findCampaign, resumeCampaign } from '../../campaigns';
import { checkCampaignArgument } from '../checks';
import type { CliContext } from '../context';
import { exitCodes } from '../exit-codes';
import { describePause, print } from '../output';

export function addResumeCommand(program: Command, { action }: CliContext): void {
  program
    .command('resume <campaign>')
    .description('resume a paused outreach campaign: it goes on with its next wave')
    .option('--json', 'machine-readable output')
    .action(
      action(
        (campaign: string, options: { json?: boolean }) => {
          checkCampaignArgument(campaign);
          return { campaign, options };
        },
        async ({ campaign, options }, client) => {
          const resumed = await resumeCampaign(await findCampaign(client, campaign, { outreachFirst: true }));
          print(Boolean(options.json), resumed, describePause('resume', resumed));
          return exitCodes.ok;
        },
      ),
    );
}
