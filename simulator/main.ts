/**
 * `npm run simulator`: serves the simulated Bolna batch API for manual runs, demos, and workers pointed at it
 * with BOLNA_BASE_URL. Stops on SIGINT or SIGTERM. Environment (all optional):
 *
 *   BOLNA_SIMULATOR_PORT                     port to listen on (default 8787; 0 picks a free one)
 *   BOLNA_SIMULATOR_HOST                     interface to bind (default 127.0.0.1)
 *   BOLNA_API_KEY                            when set, the only key accepted; otherwise any non-empty key
 *   BOLNA_SIMULATOR_SEED                     seed of call outcomes and durations (default 1)
 *   BOLNA_SIMULATOR_CLOCK_OFFSET_SECONDS     runs Bolna's clock this far ahead of the system clock (negative:
 *                                            behind), to simulate clock skew (default 0)
 *   BOLNA_SIMULATOR_MIN_LEAD_SECONDS         how far ahead `scheduled_at` must be (default 120, Bolna's rule)
 *   BOLNA_SIMULATOR_ROUNDING_SECONDS         starts round up to a multiple of this (default 600, Bolna's rule)
 *   BOLNA_SIMULATOR_CONCURRENCY              calls of one batch on the line at once (default 10)
 *   BOLNA_SIMULATOR_RING_SECONDS             ringing before an answer (default: 5–25 s, random per call)
 *   BOLNA_SIMULATOR_CALL_SECONDS             conversation of an answered call (default: 30–180 s)
 *   BOLNA_SIMULATOR_POST_PROCESSING_SECONDS  call-disconnected → completed (default: 120–180 s, as on Bolna)
 *   BOLNA_SIMULATOR_SERVER_ERROR_RATE        share of requests answered 503 (0–1, default 0)
 *   BOLNA_SIMULATOR_RATE_LIMIT_RATE          share answered 429 with `Retry-After: 1` (0–1, default 0)
 *   BOLNA_SIMULATOR_DROP_RATE                share whose connection is cut unprocessed (0–1, default 0)
 *   BOLNA_SIMULATOR_LOST_RESPONSE_RATE       share processed but never answered (0–1, default 0)
 *   BOLNA_SIMULATOR_STOP_EFFECT              ends-calls (default) | connected-calls-finish: whether a stop ends
 *                                            the calls already placed or lets them run to their end
 *   BOLNA_SIMULATOR_STATUS_FIELD             status (default) | state | both | none: the batch's status key(s)
 *   BOLNA_SIMULATOR_UNKNOWN_BATCH_STATUS     a status word the product does not know (e.g. paused), reported
 *                                            from a batch's start on instead of running/completed
 *   BOLNA_SIMULATOR_WEBHOOK_LOSS_RATE        share of batch webhooks never sent (0–1, default 0)
 *   BOLNA_SIMULATOR_WEBHOOK_DELIVERY         once (default) | twice: every batch webhook delivered two times over
 *                                            (webhooks go to loopback URLs only)
 *
 * A wrong value stops the start with a message naming the variable.
 */
import { optionsFromEnv } from './env-options';
import { startSimulator } from './server';

async function main(): Promise<void> {
  const simulator = await startSimulator(optionsFromEnv(process.env));
  console.log(`Bolna simulator listening on ${simulator.url}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await simulator.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
