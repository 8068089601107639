import type { Command } from 'commander';
import { describeCampaign, findCampaign } from '../../campaigns';
import { checkCampaignArgument } from '../checks';
import type { CliContext } from '../context';
import { exitCodes } from '../exit-codes';
import { campaignDescription, print } from '../output';
import { outreachDescription } from '../outreach-output';

export function addDescribeCommand(program: Command, { action }: CliContext): void {
  program
    .command('describe <campaign>')
    .description(
      'everything about one campaign: workflow, phase, batch, schedule, calls, warnings, and how it ended ' +
        '(an outreach campaign: contacts by state, waves, spend, next wave)',
    )
    .option('--json', 'machine-readable output')
    .action(
      action(
        (campaign: string, options: { json?: boolean }) => {
          checkCampaignArgument(campaign);
          return { campaign, options };
        },
        async ({ campaign, options }, client) => {
          const description = await describeCampaign(await findCampaign(client, campaign));
          const human =
            'workflowType' in description
              ? outreachDescription(description)
              : campaignDescription(description);
          print(Boolean(options.json), description, human);
          return exitCodes.ok;
        },
      ),
    );
}
