import { WorkflowNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { batchCampaign } from '../workflows/batch-campaign';
import { campaignWorkflowId } from '../workflows/definitions';
import { outreachWorkflowId } from '../workflows/outreach-definitions';
import type { CampaignHandle } from './handle';

/**
 * Finds a campaign by workflow ID or by campaign name: the argument is tried as a workflow ID first (so IDs
 * chosen with `temporal workflow start` work), then as a batch campaign's name (`campaign-<name>`), then as an
 * outreach campaign's (`outreach-<name>`), or the other way round with `outreachFirst` (for what only an outreach
 * campaign does: pause, resume). The handle is typed as a batch campaign's; `describe()` says which it is. Throws WorkflowNotFoundError naming both.
 */
export async function findCampaign(
  client: Client,
  idOrName: string,
  { outreachFirst = false }: { outreachFirst?: boolean } = {},
): Promise<CampaignHandle> {
  const candidates = [idOrName];
  const byName = [campaignWorkflowId, outreachWorkflowId];
  for (const workflowIdOf of outreachFirst ? byName.reverse() : byName) {
    try {
      const derived = workflowIdOf(idOrName);
      if (!candidates.includes(derived)) candidates.push(derived);
    } catch {
      // not usable as a name; only the literal ID remains
    }
  }
  for (const workflowId of candidates) {
    const handle = client.workflow.getHandle<typeof batchCampaign>(workflowId);
    try {
      await handle.describe();
      return handle;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  throw new WorkflowNotFoundError(
    `No campaign '${idOrName}' (tried ${candidates.join(', ')})`,
    idOrName,
    undefined,
  );
}
