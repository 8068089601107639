import { setTimeout as sleep } from 'node:timers/promises';
import type { QueryDefinition } from '@temporalio/common';
import { progressQuery } from '../workflows/definitions';
import type { CampaignProgress } from '../workflows/definitions';
import { outreachProgressQuery } from '../workflows/outreach-definitions';
import type { OutreachProgress } from '../workflows/outreach-definitions';
import type { AnyCampaignHandle, CampaignHandle } from './handle';

export interface FollowOptions<Progress = CampaignProgress> {
  /** Called with the campaign's progress on every look, the last time after its workflow closed. */
  onProgress: (progress: Progress) => void;
  /** Time between looks. Default 1000 ms. */
  intervalMs?: number;
  /** Stops following (not the campaign): the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Follows a campaign until its workflow closes, handing its progress to `onProgress` on every look, and resolves
 * to the last progress seen. A closed workflow still answers the query (by replay), so the last state is always
 * there, whether the campaign completed, stopped, failed or was cancelled.
 */
export function followCampaign(handle: CampaignHandle, options: FollowOptions): Promise<CampaignProgress> {
  return follow(handle, progressQuery, options);
}

/** `followCampaign` for an outreach campaign: its contacts by state, waves, spend and next wave on every look. */
export function followOutreach(
  handle: AnyCampaignHandle,
  options: FollowOptions<OutreachProgress>,
): Promise<OutreachProgress> {
  return follow(handle, outreachProgressQuery, options);
}

async function follow<Progress>(
  handle: AnyCampaignHandle,
  query: QueryDefinition<Progress>,
  options: FollowOptions<Progress>,
): Promise<Progress> {
  const { onProgress, intervalMs = 1000, signal } = options;
  for (;;) {
    signal?.throwIfAborted();
    // Looked at before the query, so the last progress handed over is from after the workflow closed.
    const { status } = await handle.describe();
    const progress = await handle.query(query);
    signal?.throwIfAborted();
    onProgress(progress);
    if (status.name !== 'RUNNING') return progress;
    await pause(intervalMs, signal);
  }
}

/** Waits `ms`, or until `signal` aborts, then throws its reason as `signal.throwIfAborted()` does. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return sleep(ms);
  // The timer rejects only when the signal aborts.
  await sleep(ms, undefined, { signal }).catch(() => signal.throwIfAborted());
}
