import { Context } from '@temporalio/activity';

/**
 * Keeps an activity's heartbeat going while it runs. Temporal only notices that a worker died mid-activity when
 * the heartbeat stops, so with a heartbeat timeout a killed worker's create, upload or download is retried within
 * seconds instead of at the end of its start-to-close timeout. Beating three times per timeout leaves room for a
 * slow tick; the SDK throttles what it actually sends.
 */
export function withHeartbeat<Args extends unknown[], Result>(
  activity: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return async (...args: Args) => {
    const context = Context.current();
    const timeoutMs = context.info.heartbeatTimeoutMs;
    if (!timeoutMs) return activity(...args);
    const timer = setInterval(() => context.heartbeat(), Math.max(timeoutMs / 3, 100));
    try {
      return await activity(...args);
    } finally {
      clearInterval(timer);
    }
  };
}
