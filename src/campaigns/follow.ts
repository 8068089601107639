import { setTimeout as sleep } from 'node:timers/promises';
import { progressQuery } from '../workflows/definitions';
import type { CampaignProgress } from '../workflows/definitions';
import type { CampaignHandle } from './handle';

export interface FollowOptions {
  /** Called with the campaign's progress on every look, the last time after its workflow closed. */
  onProgress: (progress: CampaignProgress) => void;
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
export async function followCampaign(
  handle: CampaignHandle,
  options: FollowOptions,
): Promise<CampaignProgress> {
  const { onProgress, intervalMs = 1000, signal } = options;
  for (;;) {
    signal?.throwIfAborted();
    // Looked at before the query, so the last progress handed over is from after the workflow closed.
    const { status } = await handle.describe();
    const progress = await handle.query(progressQuery);
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
