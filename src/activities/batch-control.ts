import { log } from '@temporalio/activity';
import { BolnaNotFoundError } from '../bolna/errors';
import type { CallCounts } from '../workflows/definitions';
import type { ActivityDeps } from './deps';

export interface BatchSnapshot {
  status: string;
  counts: CallCounts;
  polledAt: string;
}

export interface StopOutcome {
  /** The batch will place no more calls because of this stop. */
  stopped: boolean;
  /** Stop was refused for a batch not yet started, so it was deleted instead (there are no results to collect). */
  deleted: boolean;
}

/** One poll: the batch's status and its calls per status. */
export function getBatchActivity(deps: Pick<ActivityDeps, 'bolna' | 'clock'>) {
  return async function getBatch(batchId: string): Promise<BatchSnapshot> {
    const batch = await deps.bolna.getBatch(batchId);
    return {
      status: batch.status,
      counts: batch.execution_status ?? {},
      polledAt: new Date(await deps.clock.now()).toISOString(),
    };
  };
}

/**
 * Stops the batch at Bolna. Already finished or stopped is fine: there is nothing left to stop. A batch Bolna no
 * longer knows was deleted (by an earlier attempt whose answer was lost, or by someone else): it can call nobody.
 */
export function stopBatchActivity(deps: Pick<ActivityDeps, 'bolna'>) {
  async function stopOrDelete(batchId: string): Promise<StopOutcome> {
    if ((await deps.bolna.stopBatch(batchId)).stopped) return { stopped: true, deleted: false };
    // Bolna says "not queued or running". Finished is fine; but if the batch is still waiting for its start, that
    // answer would leave it to call everyone later, so delete it: a batch that has not started loses nothing.
    const { status } = await deps.bolna.getBatch(batchId);
    if (status !== 'created' && status !== 'scheduled') return { stopped: false, deleted: false };
    await deps.bolna.deleteBatch(batchId);
    log.warn('Bolna would not stop a batch that had not started; deleted it instead', { batchId, status });
    return { stopped: true, deleted: true };
  }

  return async function stopBatch(batchId: string): Promise<StopOutcome> {
    try {
      return await stopOrDelete(batchId);
    } catch (error) {
      if (!(error instanceof BolnaNotFoundError)) throw error;
      log.warn('The batch no longer exists at Bolna; nothing to stop', { batchId });
      return { stopped: true, deleted: true };
    }
  };
}
