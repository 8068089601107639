import { log } from '@temporalio/activity';
import type { ResultsSummary } from '../workflows/definitions';
import { campaignFolder } from './campaign-folder';
import type { ActivityDeps } from './deps';
import { ResultsWriter } from './results-writer';

export interface CollectInput {
  batchId: string;
  campaignKey: string;
  variableColumns: string[];
}

/**
 * Streams every execution into the campaign's results files and returns only the totals: the full list can be
 * tens of MB, far over what a Temporal payload may carry.
 */
export function collectResultsActivity(deps: Pick<ActivityDeps, 'bolna' | 'resultsDir'>) {
  return async function collectResults(input: CollectInput): Promise<Omit<ResultsSummary, 'batchStatus'>> {
    const writer = await ResultsWriter.open(
      campaignFolder(deps.resultsDir, input.campaignKey),
      input.variableColumns,
    );
    try {
      for await (const execution of deps.bolna.streamExecutions(input.batchId)) {
        await writer.add(execution);
      }
      await writer.close();
    } catch (error) {
      await writer.discard();
      throw error;
    }
    const { totals } = writer;
    if (totals.balanceLow > 0) {
      log.warn('Bolna did not place some calls: the wallet ran out (balance-low)', {
        batchId: input.batchId,
        balanceLow: totals.balanceLow,
      });
    }
    return {
      batchId: input.batchId,
      ...totals,
      files: { jsonl: writer.jsonlPath, csv: writer.csvPath },
    };
  };
}
