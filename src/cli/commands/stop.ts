import type { Command } from 'commander';
import { findCampaign, stopCampaign } from '../../campaigns';
import { checkCampaignArgument } from '../checks';
import type { CliContext } from '../context';
import { exitCodes } from '../exit-codes';
import { describeStop, print } from '../output';

export function addStopCommand(program: Command, { action }: CliContext): void {
  program
    .command('stop <campaign>')
    .description('stop a campaign in any phase; calls made so far are still collected')
    .option('--reason <text>', 'recorded in the campaign state and result')
    .option('--json', 'machine-readable output')
    .action(
      action(
        (campaign: string, options: { reason?: string; json?: boolean }) => {
          checkCampaignArgument(campaign);
          return { campaign, options };
        },
        async ({ campaign, options }, client) => {
          const stopped = await stopCampaign(await findCampaign(client, campaign), options.reason);
          print(Boolean(options.json), stopped, describeStop(stopped));
          return exitCodes.ok;
        },
      ),
    );
}
