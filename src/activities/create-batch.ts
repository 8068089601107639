import { activityInfo, log } from '@temporalio/activity';
import { Redactor } from '../platform/redaction';
import { webhookUrl } from '../webhooks/token';
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
export function createBatchActivity(deps: Pick<ActivityDeps, 'bolna' | 'resultsStore' | 'webhooks'>) {
  /** The oldest batch uploaded under `fileName`, after deleting any younger twins that were never scheduled. */
  async function keepOneBatchNamed(agentId: string, fileName: string) {
    const { keep, deletable } = sortOutUploadTwins(await deps.bolna.listAgentBatches(agentId), fileName);
    for (const twin of deletable) {
      await deps.bolna.deleteBatch(twin.batch_id);
      log.warn('Deleted a second batch made by a retried upload', {
        batchId: twin.batch_id,
        kept: keep?.batch_id,
      });
    }
    return keep;
  }

  /**
   * The URL Bolna is to POST the batch to: the campaign's own `webhookUrl` if it gave one (then it polls, as it
   * always did), else our receiver's URL with the campaign's token, when the worker has BOLNA_WEBHOOK_BASE_URL.
   */
  function batchWebhook(campaign: CampaignInput): { url: string; ours: boolean } | undefined {
    if (campaign.webhookUrl) return { url: campaign.webhookUrl, ours: false };
    const workflowId = activityInfo().workflowExecution?.workflowId;
    if (!deps.webhooks || workflowId === undefined) return undefined;
    return { url: webhookUrl(deps.webhooks.baseUrl, deps.webhooks.secret, workflowId), ours: true };
  }

  return async function createBatch(input: CreateBatchInput | LegacyCreateBatchInput): Promise<CreatedBatch> {
    const { campaign, csvPath, fileName } = currentShape(input);
    const webhook = batchWebhook(campaign);
    // Whether Bolna will push this batch to our receiver: then the campaign polls only as a safety net. Bolna's
    // docs do not say that a batch echoes its `webhook_url`; when one does, it must be ours.
    const pushed = (batch: { batch_id: string; webhook_url?: unknown }): CreatedBatch =>
      webhook?.ours && (batch.webhook_url === undefined || batch.webhook_url === webhook.url)
        ? { batchId: batch.batch_id, webhook: true }
        : { batchId: batch.batch_id };
    const existing = await keepOneBatchNamed(campaign.agentId, fileName);
    if (existing) {
      log.info('Found the batch an earlier attempt created', { batchId: existing.batch_id, fileName });
      return pushed(existing);
    }
    // Kept in object storage, the list is downloaded first: the worker that validated it may be gone.
    const csv = await deps.resultsStore.localFile(csvPath);
    const created = await withoutToken(webhook, () =>
      deps.bolna.createBatch({
        agentId: campaign.agentId,
        csvPath: csv.path,
        fileName,
        ...(campaign.fromPhoneNumbers ? { fromPhoneNumbers: campaign.fromPhoneNumbers } : {}),
        ...(campaign.retryConfig ? { retryConfig: campaign.retryConfig } : {}),
        ...(webhook ? { webhookUrl: webhook.url } : {}),
      }),
    ).finally(() => csv.release());
    log.info('Created Bolna batch', {
      batchId: created.batch_id,
      fileName,
      ...(webhook?.ours ? { webhook: 'receiver' } : {}),
    });
    return pushed((await keepOneBatchNamed(campaign.agentId, fileName)) ?? { batch_id: created.batch_id });
  };
}

/** The batch the campaign goes on with; `webhook: true` when Bolna will push it to our receiver. */
export interface CreatedBatch {
  batchId: string;
  webhook?: true;
}

/**
 * Bolna may echo what it was sent in an error: the campaign's token must not ride out with it into history. The
 * worker's redactor knows its secrets, not the tokens derived from them, so the token is taken out here.
 */
async function withoutToken<T>(webhook: { ours: boolean; url: string } | undefined, step: () => Promise<T>) {
  try {
    return await step();
  } catch (error) {
    if (!webhook?.ours || !(error instanceof Error)) throw error;
    const token = webhook.url.slice(webhook.url.lastIndexOf('/') + 1);
    const redactor = new Redactor([webhook.url, token]);
    error.message = redactor.text(error.message);
    if (error.stack !== undefined) error.stack = redactor.text(error.stack);
    throw error;
  }
}
