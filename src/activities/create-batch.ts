import { log } from '@temporalio/activity';
import type { CampaignInput } from '../workflows/definitions';
import type { ActivityDeps } from './deps';
import { sortOutUploadTwins } from './upload-twins';

export interface CreateBatchInput {
  campaign: CampaignInput;
  /** Where the validated, normalised CSV was kept: a path, or an object in the results store. */
  csvPath: string;
  /** Unique per campaign run chain; it is how a retry finds the batch an earlier attempt created. */
  fileName: string;
}

/**
 * The input as campaigns started before the campaign was passed through still hand it to a retried attempt after
 * a deploy. Remove once no campaign started before that release is still creating its batch. Exported only so the
 * package's .d.ts can name it in `createActivities`' type.
 */
export interface LegacyCreateBatchInput {
  agentId: string;
  csvPath: string;
  fileName: string;
  fromPhoneNumbers?: string[];
  retryConfig?: NonNullable<CampaignInput['retryConfig']>;
  webhookUrl?: string;
}

function currentShape(input: CreateBatchInput | LegacyCreateBatchInput): CreateBatchInput {
  if ('campaign' in input) return input;
  const { csvPath, fileName, agentId, ...options } = input;
  return { csvPath, fileName, campaign: { agentId, csv: csvPath, ...options } };
}

/**
 * Creates the batch exactly once. Bolna has no idempotency key, so the upload carries a file name unique to the
 * campaign, and every attempt first looks for that name among the agent's batches: a retry after a lost response
 * or a dead worker, and a first attempt after a Temporal reset, find the batch made before instead of making
 * another. An earlier request can also land late, while this attempt uploads again; so the list is read once more
 * afterwards and only the oldest batch of that name is kept. The others were never scheduled: they called nobody.
 */
export function createBatchActivity(deps: Pick<ActivityDeps, 'bolna' | 'resultsStore'>) {
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

  /** Uploads the list, downloaded first when kept in object storage (the worker that validated it may be gone). */
  async function upload(
    campaign: CampaignInput,
    csvPath: string,
    fileName: string,
  ): Promise<{ batch_id: string }> {
    const csv = await deps.resultsStore.localFile(csvPath);
    try {
      return await deps.bolna.createBatch({
        agentId: campaign.agentId,
        csvPath: csv.path,
        fileName,
        ...(campaign.fromPhoneNumbers ? { fromPhoneNumbers: campaign.fromPhoneNumbers } : {}),
        ...(campaign.retryConfig ? { retryConfig: campaign.retryConfig } : {}),
        ...(campaign.webhookUrl ? { webhookUrl: campaign.webhookUrl } : {}),
      });
    } finally {
      await csv.release();
    }
  }

  return async function createBatch(
    input: CreateBatchInput | LegacyCreateBatchInput,
  ): Promise<{ batchId: string }> {
    const { campaign, csvPath, fileName } = currentShape(input);
    const existing = await keepOneBatchNamed(campaign.agentId, fileName);
    if (existing) {
      log.info('Found the batch an earlier attempt created', { batchId: existing, fileName });
      return { batchId: existing };
    }
    const created = await upload(campaign, csvPath, fileName);
    log.info('Created Bolna batch', { batchId: created.batch_id, fileName });
    return { batchId: (await keepOneBatchNamed(campaign.agentId, fileName)) ?? created.batch_id };
  };
}
