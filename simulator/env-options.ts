import { z } from 'zod';
import { statusFieldSchema, stopEffectSchema, unknownBatchStatusSchema } from './settings';
import type { SimulatorOptions } from './settings';

/** The simulator's environment variables (documented in main.ts), parsed once with zod. */

const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);
const optionalNumber = (schema: z.ZodNumber) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().pipe(schema).optional());
const seconds = optionalNumber(z.number().nonnegative());

const envSchema = z.object({
  BOLNA_SIMULATOR_PORT: optionalNumber(z.number().int().min(0).max(65_535)),
  BOLNA_SIMULATOR_HOST: z.preprocess(unsetIfEmpty, z.string().optional()),
  BOLNA_API_KEY: z.preprocess(unsetIfEmpty, z.string().optional()),
  BOLNA_SIMULATOR_SEED: optionalNumber(z.number().int()),
  BOLNA_SIMULATOR_CLOCK_OFFSET_SECONDS: optionalNumber(z.number()),
  BOLNA_SIMULATOR_MIN_LEAD_SECONDS: seconds,
  BOLNA_SIMULATOR_ROUNDING_SECONDS: optionalNumber(z.number().positive()),
  BOLNA_SIMULATOR_CONCURRENCY: optionalNumber(z.number().int().positive()),
  BOLNA_SIMULATOR_RING_SECONDS: seconds,
  BOLNA_SIMULATOR_CALL_SECONDS: seconds,
  BOLNA_SIMULATOR_POST_PROCESSING_SECONDS: seconds,
  BOLNA_SIMULATOR_SERVER_ERROR_RATE: optionalNumber(z.number().min(0).max(1)),
  BOLNA_SIMULATOR_RATE_LIMIT_RATE: optionalNumber(z.number().min(0).max(1)),
  BOLNA_SIMULATOR_DROP_RATE: optionalNumber(z.number().min(0).max(1)),
  BOLNA_SIMULATOR_LOST_RESPONSE_RATE: optionalNumber(z.number().min(0).max(1)),
  BOLNA_SIMULATOR_STOP_EFFECT: z.preprocess(unsetIfEmpty, stopEffectSchema.optional()),
  BOLNA_SIMULATOR_STATUS_FIELD: z.preprocess(unsetIfEmpty, statusFieldSchema.optional()),
  BOLNA_SIMULATOR_UNKNOWN_BATCH_STATUS: z.preprocess(unsetIfEmpty, unknownBatchStatusSchema.optional()),
  BOLNA_SIMULATOR_WEBHOOK_LOSS_RATE: optionalNumber(z.number().min(0).max(1)),
  BOLNA_SIMULATOR_WEBHOOK_DELIVERY: z.preprocess(unsetIfEmpty, z.enum(['once', 'twice']).optional()),
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
