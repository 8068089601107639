import { z } from 'zod';

/**
 * Everything about the simulator that a test may want to change, with Bolna's documented behaviour as the
 * defaults. Validated with zod so a typo in a test fails loudly instead of silently simulating something else.
 */
export const settingsSchema = z.object({
  rules: z
    .object({
      /** `scheduled_at` must be at least this far ahead (Bolna: 2 minutes). */
      minLeadMs: z.number().int().nonnegative().default(120_000),
      /** Starts are rounded up to the next multiple of this (Bolna: 10 minutes). */
      roundingMs: z.number().int().positive().default(600_000),
    })
    .prefault({}),
  calls: z
    .object({
      /** Calls of one batch in progress at once. */
      concurrency: z.number().int().positive().default(10),
      ringMs: z.number().int().nonnegative().default(15_000),
      talkMs: z.number().int().nonnegative().default(90_000),
      /** Bolna's `completed` arrives 2–3 minutes after `call-disconnected`. */
      postProcessingMs: z.number().int().nonnegative().default(150_000),
      /** Relative weights of each final outcome. */
      outcomes: z
        .object({
          completed: z.number().nonnegative().default(0.7),
          'no-answer': z.number().nonnegative().default(0.15),
          busy: z.number().nonnegative().default(0.1),
          failed: z.number().nonnegative().default(0.05),
        })
        .prefault({}),
      costCentsPerMinute: z.number().nonnegative().default(9),
    })
    .prefault({}),
  /** The places where Bolna's docs disagree; each documented form can be served. */
  variants: z
    .object({
      createStatus: z.union([z.literal(200), z.literal(201)]).default(201),
      scheduleStatus: z.union([z.literal(200), z.literal(202)]).default(200),
      scheduleStateForm: z.enum(['plain', 'with-time']).default('plain'),
      statusField: z.enum(['status', 'state', 'both']).default('status'),
      executionsEnvelope: z.enum(['array', 'data']).default('array'),
      /** Whether "not queued or running" covers a batch still waiting for its start (the docs don't say). */
      stopWhileScheduled: z.enum(['stops', 'not-found']).default('stops'),
    })
    .prefault({}),
  rateLimit: z.object({ requestsPerMinute: z.number().int().positive().default(1000) }).prefault({}),
  /** Random faults for soak runs (deterministic through the seed); tests mostly use scripted faults. */
  faults: z
    .object({
      serverErrorRate: z.number().min(0).max(1).default(0),
      dropRate: z.number().min(0).max(1).default(0),
      lostResponseRate: z.number().min(0).max(1).default(0),
      latencyMs: z.number().int().nonnegative().default(0),
    })
    .prefault({}),
});

export type SimulatorSettings = z.output<typeof settingsSchema>;
export type SimulatorSettingsInput = z.input<typeof settingsSchema>;
export type CallOutcome = keyof SimulatorSettings['calls']['outcomes'];
