import { z } from 'zod';
import { statusFieldSchema, stopEffectSchema, unknownBatchStatusSchema } from './settings';
import type { SimulatorOptions } from './settings';

/** The simulator's environment variables (documented in main.ts), parsed once with zod. */

const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);
const optionalNumber = (schema: z.ZodNumber) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().pipe(schema).optional());
const seconds = optionalNumber(z.number().nonnegative());

/** Each variable described (its default is the simulator's own) for docs/configuration.md. */
export const envSchema = z.object({
  BOLNA_SIMULATOR_PORT: optionalNumber(z.number().int().min(0).max(65_535)).meta({
    description: 'port to listen on (0 picks a free one)',
    whenUnset: '`8787`',
  }),
  BOLNA_SIMULATOR_HOST: z
    .preprocess(unsetIfEmpty, z.string().optional())
    .meta({ description: 'interface to bind', whenUnset: '`127.0.0.1`' }),
  BOLNA_API_KEY: z
    .preprocess(unsetIfEmpty, z.string().optional())
    .meta({ description: 'when set, the only key accepted', whenUnset: 'any non-empty key' }),
  BOLNA_SIMULATOR_SEED: optionalNumber(z.number().int()).meta({
    description: 'seed of call outcomes and durations',
    whenUnset: '`1`',
  }),
  BOLNA_SIMULATOR_CLOCK_OFFSET_SECONDS: optionalNumber(z.number()).meta({
    description:
      "runs Bolna's clock this far ahead of the system clock (negative: behind), to simulate clock skew",
    whenUnset: '`0`',
  }),
  BOLNA_SIMULATOR_MIN_LEAD_SECONDS: seconds.meta({
    description: 'how far ahead `scheduled_at` must be',
    whenUnset: "`120` (Bolna's rule)",
  }),
  BOLNA_SIMULATOR_ROUNDING_SECONDS: optionalNumber(z.number().positive()).meta({
    description: 'starts round up to a multiple of this',
    whenUnset: "`600` (Bolna's rule)",
  }),
  BOLNA_SIMULATOR_CONCURRENCY: optionalNumber(z.number().int().positive()).meta({
    description: 'calls of one batch on the line at once',
    whenUnset: '`10`',
  }),
  BOLNA_SIMULATOR_RING_SECONDS: seconds.meta({
    description: 'ringing before an answer',
    whenUnset: '5–25 s, random per call',
  }),
  BOLNA_SIMULATOR_CALL_SECONDS: seconds.meta({
    description: 'conversation of an answered call',
    whenUnset: '30–180 s',
  }),
  BOLNA_SIMULATOR_POST_PROCESSING_SECONDS: seconds.meta({
    description: 'call-disconnected → completed',
    whenUnset: '120–180 s, as on Bolna',
  }),
  BOLNA_SIMULATOR_SERVER_ERROR_RATE: optionalNumber(z.number().min(0).max(1)).meta({
    description: 'share of requests answered 503 (0–1)',
    whenUnset: '`0`',
  }),
  BOLNA_SIMULATOR_RATE_LIMIT_RATE: optionalNumber(z.number().min(0).max(1)).meta({
    description: 'share answered 429 with `Retry-After: 1` (0–1)',
    whenUnset: '`0`',
  }),
  BOLNA_SIMULATOR_DROP_RATE: optionalNumber(z.number().min(0).max(1)).meta({
    description: 'share whose connection is cut unprocessed (0–1)',
    whenUnset: '`0`',
  }),
  BOLNA_SIMULATOR_LOST_RESPONSE_RATE: optionalNumber(z.number().min(0).max(1)).meta({
    description: 'share processed but never answered (0–1)',
    whenUnset: '`0`',
  }),
  BOLNA_SIMULATOR_STOP_EFFECT: z.preprocess(unsetIfEmpty, stopEffectSchema.optional()).meta({
    description:
      '`ends-calls` or `connected-calls-finish`: whether a stop ends the calls already placed or lets them run to their end',
    whenUnset: '`ends-calls`',
  }),
  BOLNA_SIMULATOR_STATUS_FIELD: z.preprocess(unsetIfEmpty, statusFieldSchema.optional()).meta({
    description: "`status`, `state`, `both` or `none`: the batch's status key(s)",
    whenUnset: '`status`',
  }),
  BOLNA_SIMULATOR_UNKNOWN_BATCH_STATUS: z.preprocess(unsetIfEmpty, unknownBatchStatusSchema.optional()).meta({
    description:
      "a status word the product does not know (e.g. `paused`), reported from a batch's start on instead of running/completed",
    whenUnset: '— (off)',
  }),
  BOLNA_SIMULATOR_WEBHOOK_LOSS_RATE: optionalNumber(z.number().min(0).max(1)).meta({
    description: 'share of batch webhooks never sent (0–1)',
    whenUnset: '`0`',
  }),
  BOLNA_SIMULATOR_WEBHOOK_DELIVERY: z.preprocess(unsetIfEmpty, z.enum(['once', 'twice']).optional()).meta({
    description:
      '`once` or `twice`: every batch webhook delivered two times over (webhooks go to loopback URLs only)',
    whenUnset: '`once`',
  }),
});

const ms = (value: number | undefined) => (value === undefined ? undefined : Math.round(value * 1000));

/** Leaves out what is unset, so the simulator's own defaults apply. */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function optionsFromEnv(env: NodeJS.ProcessEnv): SimulatorOptions {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid simulator configuration:\n  ${problems.join('\n  ')}`);
  }
  const vars = parsed.data;
  return {
    port: vars.BOLNA_SIMULATOR_PORT ?? 8787,
    ...defined({
      host: vars.BOLNA_SIMULATOR_HOST,
      apiKey: vars.BOLNA_API_KEY,
      seed: vars.BOLNA_SIMULATOR_SEED,
      clockOffsetMs: ms(vars.BOLNA_SIMULATOR_CLOCK_OFFSET_SECONDS),
    }),
    rules: defined({
      minLeadMs: ms(vars.BOLNA_SIMULATOR_MIN_LEAD_SECONDS),
      roundingMs: ms(vars.BOLNA_SIMULATOR_ROUNDING_SECONDS),
    }),
    calls: defined({
      concurrency: vars.BOLNA_SIMULATOR_CONCURRENCY,
      ringMs: ms(vars.BOLNA_SIMULATOR_RING_SECONDS),
      talkMs: ms(vars.BOLNA_SIMULATOR_CALL_SECONDS),
      postProcessingMs: ms(vars.BOLNA_SIMULATOR_POST_PROCESSING_SECONDS),
    }),
    variants: defined({
      stopEffect: vars.BOLNA_SIMULATOR_STOP_EFFECT,
      statusField: vars.BOLNA_SIMULATOR_STATUS_FIELD,
      unknownBatchStatus: vars.BOLNA_SIMULATOR_UNKNOWN_BATCH_STATUS,
    }),
    webhooks: defined({
      lossRate: vars.BOLNA_SIMULATOR_WEBHOOK_LOSS_RATE,
      delivery: vars.BOLNA_SIMULATOR_WEBHOOK_DELIVERY,
    }),
    faults: defined({
      serverErrorRate: vars.BOLNA_SIMULATOR_SERVER_ERROR_RATE,
      rateLimitRate: vars.BOLNA_SIMULATOR_RATE_LIMIT_RATE,
      dropRate: vars.BOLNA_SIMULATOR_DROP_RATE,
      lostResponseRate: vars.BOLNA_SIMULATOR_LOST_RESPONSE_RATE,
    }),
  };
}
