import type { Command } from 'commander';
import { campaignStatus, findCampaign } from '../../campaigns';
import { checkCampaignArgument } from '../checks';
import type { CliContext } from '../context';
import { exitCodes } from '../exit-codes';
import { describeProgress, print } from '../output';
import { outreachStatus } from '../outreach-output';

export function addStatusCommand(program: Command, { action }: CliContext): void {
  program
    .command('status <campaign>')
    .description(
      "show a campaign's phase, batch and call counts (campaign name or workflow ID); an outreach " +
        "campaign's contacts by state, waves, spend and next wave",
    )
    .option('--json', 'machine-readable output (the campaign’s progress as it is)')
    .action(
      action(
        (campaign: string, options: { json?: boolean }) => {
          checkCampaignArgument(campaign);
          return { campaign, options };
        },
        async ({ campaign, options }, client) => {
          const status = await campaignStatus(await findCampaign(client, campaign));
          const human =
            status.kind === 'outreach'
              ? outreachStatus(status.workflowId, status.progress)
              : `${status.workflowId}: ${describeProgress(status.progress)}`;
          print(Boolean(options.json), status.progress, human);
          return exitCodes.ok;
        },
      ),
    );
}
