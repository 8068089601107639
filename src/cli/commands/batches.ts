import type { Command } from 'commander';
import { BolnaClient } from '../../bolna/client';
import { agentBatches } from '../../campaigns';
import { loadConfig, requireApiKey } from '../../config';
import { checkAgentOption } from '../checks';
import type { CliContext } from '../context';
import { exitCodes } from '../exit-codes';
import { batchesTable, print } from '../output';

export function addBatchesCommand(program: Command, { action }: CliContext): void {
  program
    .command('batches')
    .description(
      "Bolna's own list of an agent's batches, marking the campaign that owns each (needs BOLNA_API_KEY)",
    )
    .requiredOption('--agent <uuid>', 'the Bolna agent')
    .option('--json', 'machine-readable output')
    .action(
      action(
        (options: { agent: string; json?: boolean }) => {
          checkAgentOption(options.agent);
          const config = loadConfig();
          const bolna = new BolnaClient({ apiKey: requireApiKey(config), baseUrl: config.bolna.baseUrl });
          return { options, bolna };
        },
        async ({ options, bolna }, client) => {
          const listed = await agentBatches(client, bolna, options.agent);
          print(Boolean(options.json), listed, batchesTable(listed));
          return exitCodes.ok;
        },
      ),
    );
}
