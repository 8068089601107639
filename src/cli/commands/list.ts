import { Option } from 'commander';
import type { Command } from 'commander';
import { listCampaigns } from '../../campaigns';
import type { CampaignFilter } from '../../campaigns';
import { campaignPhases } from '../../workflows/definitions';
import type { CampaignPhase } from '../../workflows/definitions';
import { checkAgentOption } from '../checks';
import type { CliContext } from '../context';
import { exitCodes } from '../exit-codes';
import { pointInTime, positiveInt } from '../options';
import { campaignsTable, print } from '../output';

interface ListOptions {
  agent?: string;
  batch?: string;
  phase?: CampaignPhase;
  name?: string;
  since?: Date;
  until?: Date;
  open?: boolean;
  closed?: boolean;
  limit: number;
  json?: boolean;
}

export function addListCommand(program: Command, { action }: CliContext): void {
  program
    .command('list')
    .description("list campaigns, newest first, from Temporal's visibility store (search attributes)")
    .option('--agent <uuid>', 'only campaigns calling with this Bolna agent')
    .option('--batch <id>', 'only the campaign that owns this Bolna batch')
    .addOption(new Option('--phase <phase>', 'only campaigns in this phase').choices(campaignPhases))
    .option('--name <name>', 'only campaigns of this name (a schedule’s runs share its name)')
    .option(
      '--since <when>',
      'started at or after: a date, a date-time with offset, or a span ago (2h, 7d)',
      (value) => pointInTime(value),
    )
    .option('--until <when>', 'started before (same forms as --since)', (value) => pointInTime(value))
    .addOption(new Option('--open', 'only campaigns still running').conflicts('closed'))
    .option('--closed', 'only campaigns that ended')
    .option('--limit <n>', 'at most this many', positiveInt, 50)
    .option('--json', 'machine-readable output')
    .action(
      action(
        (options: ListOptions) => {
          checkAgentOption(options.agent);
          return options;
        },
        async (options, client) => {
          const campaigns = await listCampaigns(client, filterOf(options));
          const human = campaigns.length === 0 ? 'No campaigns match.' : campaignsTable(campaigns);
          print(Boolean(options.json), campaigns, human);
          return exitCodes.ok;
        },
      ),
    );
}

function filterOf(options: ListOptions): CampaignFilter {
  return {
    ...(options.agent ? { agentId: options.agent } : {}),
    ...(options.batch ? { batchId: options.batch } : {}),
    ...(options.phase ? { phase: options.phase } : {}),
    ...(options.name ? { name: options.name } : {}),
    ...(options.since ? { startedAfter: options.since } : {}),
    ...(options.until ? { startedBefore: options.until } : {}),
    ...(options.open ? { open: true } : options.closed ? { open: false } : {}),
    limit: options.limit,
  };
}
