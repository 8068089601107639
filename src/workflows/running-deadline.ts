import type { CampaignInput } from './definitions';

const minuteMs = 60_000;
/** Bolna's default plan lets an account have 10 calls on the line at once; used when `/user/me` does not say. */
export const assumedConcurrency = 10;
/** Time one call slot may take: ringing, a long conversation and Bolna's 2–3 minute post-processing, with slack. */
const perCallSlotMs = 15 * minuteMs;

/**
 * How long a batch may run before it counts as stuck. Generous on purpose (an hour, plus 15 minutes per round of
 * `concurrency` calls, plus Bolna's own retry intervals): it exists to end a batch Bolna never finishes, not to cut
 * a slow one short. `runningTimeoutMinutes` overrides it.
 */
export function runningTimeoutMs(input: CampaignInput, rows: number, concurrency?: number): number {
  if (input.runningTimeoutMinutes !== undefined) return input.runningTimeoutMinutes * minuteMs;
  const rounds = Math.ceil(Math.max(rows, 1) / Math.max(concurrency ?? assumedConcurrency, 1));
  const bolnaRetries = input.retryConfig?.enabled
    ? (input.retryConfig.retry_intervals_minutes ?? [30, 60, 120])
        .slice(0, input.retryConfig.max_retries ?? 3)
        .reduce((sum, minutes) => sum + minutes, 0) * minuteMs
    : 0;
  return 60 * minuteMs + rounds * perCallSlotMs + bolnaRetries;
}
