import { meetsGoal } from '../outreach/wave-outcome';
import type { CampaignGoal } from '../workflows/outreach-definitions';
import type { ActivityDeps } from './deps';
import { sortOutUploadTwins } from './upload-twins';

export interface MeasureWaveInput {
  agentId: string;
  /** The file name the wave's batch campaign uploads its list under (its campaign key + `.csv`). */
  fileName: string;
  goal?: CampaignGoal;
}

export interface WaveMeasure {
  /** What the wave's calls have cost so far (Bolna's `total_cost`, cents). */
  costCents: number;
  /** The wave's contacts whose call so far extracted what the goal counts. */
  goalReached: number;
}

/**
 * A running wave's spend and goal so far, read from its batch's executions at Bolna: what lets the campaign stop a
 * wave that crosses the budget or reaches the goal without waiting for its end. A read, run on the Bolna queue that
 * shares the rate budget; it costs one listing of the batch's executions (all pages), so the campaign runs it only
 * when a budget or a goal is set, every `budget.checkEveryMinutes`.
 */
export function measureWaveActivity(deps: Pick<ActivityDeps, 'bolna'>) {
  return async function measureWave(input: MeasureWaveInput): Promise<WaveMeasure> {
    let costCents = 0;
    let goalReached = 0;
    // The wave's batch is the one its batch campaign uploaded under its file name (as its retried create finds it).
    const { keep } = sortOutUploadTwins(await deps.bolna.listAgentBatches(input.agentId), input.fileName);
    if (keep === undefined) return { costCents, goalReached };
    for await (const execution of deps.bolna.streamExecutions(keep.batch_id)) {
      costCents += execution.total_cost ?? 0;
      if (input.goal && meetsGoal(execution.extracted_data, input.goal)) goalReached += 1;
    }
    return { costCents, goalReached };
  };
}
