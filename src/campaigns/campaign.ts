import type { Client } from '@temporalio/client';
import { progressQuery } from '../workflows/definitions';
import type { CampaignProgress } from '../workflows/definitions';
import { waitForEnd } from './end';
import type { CampaignEnding } from './end';
import { findCampaign } from './find';
import { followCampaign } from './follow';
import type { FollowOptions } from './follow';
import type { CampaignHandle } from './handle';
import { stopCampaign } from './stop';
import type { StopResult } from './stop';

/**
 * Where a campaign's report is, beside the results files: paths on the workers' results volume, or `s3://` URIs
 * when the workers keep their files in object storage.
 */
export interface CampaignReport {
  html: string;
  json: string;
}

/** One campaign, running or ended, as backend code works with it. */
export interface Campaign {
  /** `campaign-<name>`, or the ID it was started with. */
  readonly workflowId: string;
  /** Its Temporal workflow, typed, for anything else: `describe()`, `cancel()`, `fetchHistory()`, ... */
  readonly handle: CampaignHandle;
  /** Where it is now (the `progress` query): phase, batch, calls by status, ... Answered after the end too. */
  progress(): Promise<CampaignProgress>;
  /** Looks at its progress until it ends, handing each look to `onProgress`; resolves to the last progress. */
  follow(options: FollowOptions): Promise<CampaignProgress>;
  /** Stops it (the calls made so far are still collected); stopping an ended campaign is not an error. */
  stop(reason?: string): Promise<StopResult>;
  /**
   * Waits for its end and says how it ended: `outcome` is `completed`, `stopped`, `timed-out` or `failed` and, when
   * the workflow returned, `result` holds the totals and the results files. A failed or cancelled campaign resolves
   * too; only what is not the campaign's own ending (Temporal unreachable) rejects.
   */
  result(): Promise<CampaignEnding>;
  /** Waits for its end, then says where its report is; undefined when it ended without one. */
  report(): Promise<CampaignReport | undefined>;
}

/**
 * The campaign with this workflow ID or campaign name (see `findCampaign`); rejects with WorkflowNotFoundError
 * when there is none.
 */
export async function getCampaign(client: Client, idOrName: string): Promise<Campaign> {
  return campaignOf(await findCampaign(client, idOrName));
}

/** The campaign whose workflow `handle` is. */
export function campaignOf(handle: CampaignHandle): Campaign {
  return {
    workflowId: handle.workflowId,
    handle,
    progress: () => handle.query(progressQuery),
    follow: (options) => followCampaign(handle, options),
    stop: (reason) => stopCampaign(handle, reason),
    result: () => waitForEnd(handle),
    report: async () => {
      const ending = await waitForEnd(handle);
      // A cancelled campaign returns nothing, yet it collected its calls: its last state holds the files.
      const files =
        ending.how === 'returned' ? ending.result.files : (await handle.query(progressQuery)).summary?.files;
      const { reportHtml, reportJson } = files ?? {};
      return reportHtml !== undefined && reportJson !== undefined
        ? { html: reportHtml, json: reportJson }
        : undefined;
    },
  };
}
