/** A batch's `retry_config` as the create call sent it (snake_case, every field optional). */
export interface RetryConfig {
  enabled?: boolean | undefined;
  max_retries?: number | undefined;
  retry_on_statuses?: string[] | undefined;
  retry_on_voicemail?: boolean | undefined;
  retry_intervals_minutes?: number[] | undefined;
}

/**
 * Bolna's own auto-retry (`retry_config` on create), as the simulator runs it: a call that ends in one of the
 * statuses to retry on goes back to `scheduled` and is placed again after the next interval, at most
 * `max_retries` times. Defaults as documented: 3 retries, on no-answer, busy and failed, after 30, 60 and 120
 * minutes (a retry beyond the listed intervals waits as long as the last one).
 */
export interface RetryPolicy {
  readonly maxRetries: number;
  readonly onStatuses: ReadonlySet<string>;
  /** The wait before each retry, from the end of the attempt before it. */
  readonly intervalsMs: readonly number[];
}

const documentedDefaults = {
  maxRetries: 3,
  onStatuses: ['no-answer', 'busy', 'failed'],
  intervalsMinutes: [30, 60, 120],
};

/** The policy a batch's `retry_config` asks for; undefined when it does not enable retries. */
export function retryPolicy(config: RetryConfig | undefined): RetryPolicy | undefined {
  if (config?.enabled !== true) return undefined;
  const intervalsMinutes = config.retry_intervals_minutes?.length
    ? config.retry_intervals_minutes
    : documentedDefaults.intervalsMinutes;
  return {
    maxRetries: config.max_retries ?? documentedDefaults.maxRetries,
    onStatuses: new Set(config.retry_on_statuses ?? documentedDefaults.onStatuses),
    intervalsMs: intervalsMinutes.map((minutes) => Math.round(minutes * 60_000)),
  };
}

/** The wait before retry number `retry` (0 for the first). */
export function retryIntervalMs(policy: RetryPolicy, retry: number): number {
  return policy.intervalsMs[Math.min(retry, policy.intervalsMs.length - 1)]!;
}
