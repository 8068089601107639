import { Context, log } from '@temporalio/activity';
import type { CampaignInput } from '../workflows/definitions';
import type { ActivityDeps } from './deps';
import { sortOutUploadTwins } from './upload-twins';

export interface CreateBatchInput {
  agentId: string;
  csvPath: string;
  /** Unique per campaign; it is how a retry finds the batch an earlier attempt created. */
  fileName: string;
  fromPhoneNumbers?: string[];
  retryConfig?: CampaignInput['retryConfig'];
  webhookUrl?: string;
}

/**
 * Creates the batch exactly once. Bolna has no idempotency key, so the upload carries a file name unique to
 * this campaign. A retry (the earlier attempt's response lost, or its worker dead) first looks for that name among
 * the agent's batches. An earlier request can also land late, while the retry uploads again; so a retry looks once
 * more afterwards and keeps only the oldest batch of that name, deleting the others. They were never scheduled,
 * so they had called nobody.
 */
export function createBatchActivity(deps: Pick<ActivityDeps, 'bolna'>) {
  /** The oldest batch uploaded under `fileName`, after deleting any younger twins that were never scheduled. */
  async function keepOneBatchNamed(agentId: string, fileName: string): Promise<string | undefined> {
    const { keep, deletable } = sortOutUploadTwins(await deps.bolna.listAgentBatches(agentId), fileName);
    for (const twin of deletable) {
      await deps.bolna.deleteBatch(twin.batch_id);
      log.warn('Deleted a second batch made by a retried upload', {
        batchId: twin.batch_id,
        kept: keep?.batch_id,
      });
    }
    return keep?.batch_id;
  }

  return async function createBatch(input: CreateBatchInput): Promise<{ batchId: string }> {
    const isRetry = Context.current().info.attempt > 1;
    if (isRetry) {
      const existing = await keepOneBatchNamed(input.agentId, input.fileName);
      if (existing) {
        log.info('Found the batch an earlier attempt created', {
          batchId: existing,
          fileName: input.fileName,
        });
        return { batchId: existing };
      }
    }
    const created = await deps.bolna.createBatch({
      agentId: input.agentId,
      csvPath: input.csvPath,
      fileName: input.fileName,
      ...(input.fromPhoneNumbers ? { fromPhoneNumbers: input.fromPhoneNumbers } : {}),
      ...(input.retryConfig ? { retryConfig: input.retryConfig } : {}),
      ...(input.webhookUrl ? { webhookUrl: input.webhookUrl } : {}),
    });
    log.info('Created Bolna batch', { batchId: created.batch_id, fileName: input.fileName });
    const batchId = isRetry
      ? ((await keepOneBatchNamed(input.agentId, input.fileName)) ?? created.batch_id)
      : created.batch_id;
    return { batchId };
  };
}
