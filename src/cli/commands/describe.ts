import type { Command } from 'commander';
import { describeCampaign, findCampaign } from '../../campaigns';
import type { CliContext } from '../context';
import { exitCodes } from '../exit-codes';
import { campaignDescription, print } from '../output';
import { outreachDescription } from '../outreach-output';

export function addDescribeCommand(program: Command, { connect, exits }: CliContext): void {
  program
    .command('describe <campaign>')
    .description(
      'everything about one campaign: workflow, phase, batch, schedule, calls, warnings, and how it ended ' +
        '(an outreach campaign: contacts by state, waves, spend, next wave)',
    )
    .option('--json', 'machine-readable output')
    .action(
      exits(async (campaign: string, options: { json?: boolean }) => {
        const description = await describeCampaign(await findCampaign(await connect(), campaign));
        const human =
          'workflowType' in description ? outreachDescription(description) : campaignDescription(description);
        print(Boolean(options.json), description, human);
        return exitCodes.ok;
      }),
    );
}
