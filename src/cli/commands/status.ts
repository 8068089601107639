import type { Command } from 'commander';
import { campaignStatus, findCampaign } from '../../campaigns';
import type { CliContext } from '../context';
import { exitCodes } from '../exit-codes';
import { describeProgress, print } from '../output';
import { outreachStatus } from '../outreach-output';

export function addStatusCommand(program: Command, { connect, exits }: CliContext): void {
  program
    .command('status <campaign>')
    .description(
      "show a campaign's phase, batch and call counts (campaign name or workflow ID); an outreach " +
        "campaign's contacts by state, waves, spend and next wave",
    )
    .option('--json', 'machine-readable output (the campaign’s progress as it is)')
    .action(
      exits(async (campaign: string, options: { json?: boolean }) => {
        const status = await campaignStatus(await findCampaign(await connect(), campaign));
        const human =
          status.kind === 'outreach'
            ? outreachStatus(status.workflowId, status.progress)
            : `${status.workflowId}: ${describeProgress(status.progress)}`;
        print(Boolean(options.json), status.progress, human);
        return exitCodes.ok;
      }),
    );
}
