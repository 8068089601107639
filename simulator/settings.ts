import { z } from 'zod';
import { systemClock } from '../src/platform/clock';
import type { Clock } from '../src/platform/clock';
import { clockTimeSchema, timeZoneSchema } from './time-of-day';

/**
 * Everything about the simulator a test may choose, with Bolna's documented behaviour as the defaults. Validated
 * with zod so that a typo in a test fails loudly instead of silently simulating something else.
 */

const milliseconds = z.number().int().nonnegative();

/** A duration in ms: a fixed number, or a range each call draws from (seeded, so runs repeat exactly). */
const durationSchema = z
  .union([
    milliseconds,
    z
      .strictObject({ min: milliseconds, max: milliseconds })
      .refine((range) => range.min <= range.max, 'min must not exceed max'),
  ])
  .transform((value) => (typeof value === 'number' ? { min: value, max: value } : value));

const weight = z.number().nonnegative().optional();

/**
 * Relative weights of each outcome of a placed call. An outcome left out of a given mix weighs 0, so
 * `{ completed: 1 }` means every call is answered.
 */
const outcomesSchema = z
  .strictObject({ completed: weight, 'no-answer': weight, busy: weight, failed: weight })
  .transform((mix) => ({
    completed: mix.completed ?? 0,
    'no-answer': mix['no-answer'] ?? 0,
    busy: mix.busy ?? 0,
    failed: mix.failed ?? 0,
  }))
  .refine((mix) => Object.values(mix).some((w) => w > 0), 'at least one outcome needs a positive weight');

export type CallOutcome = keyof z.output<typeof outcomesSchema>;
export type OutcomeMix = z.output<typeof outcomesSchema>;

/**
 * An outcome mix for calls placed from `from` up to `to` in the recipient's local time (the first of its zones);
 * `to` before `from` runs over midnight.
 */
const localTimeOutcomesSchema = z
  .strictObject({ from: clockTimeSchema, to: clockTimeSchema, outcomes: outcomesSchema })
  .refine((range) => range.from !== range.to, 'from and to must differ')
  .transform(({ from, to, outcomes }) => ({ startMinute: from, endMinute: to, outcomes }));

/** Bolna's calling guardrails: the agent's calling hours, here in each recipient's local time. */
const guardrailsSchema = z
  .strictObject({ start: clockTimeSchema, end: clockTimeSchema })
  .refine((hours) => hours.start !== hours.end, 'start and end must differ')
  .transform(({ start, end }) => ({ startMinute: start, endMinute: end }));

/** An E.164 number, or the start of one (`+1415`, `+91`): the numbers it covers. */
const numberPrefixSchema = z.string().regex(/^\+\d{1,15}$/, "must be '+' and up to 15 digits");

const rate = z.number().min(0).max(1).default(0);

export const stopEffectSchema = z.enum(['ends-calls', 'connected-calls-finish']);
export type StopEffect = z.output<typeof stopEffectSchema>;

/** `none`: the batch object carries no status at all. */
export const statusFieldSchema = z.enum(['status', 'state', 'both', 'none']);

/** Every batch status Bolna documents or is known to send; an "unknown" one must be none of them. */
const knownBatchStatuses = [
  'created',
  'scheduled',
  'queued',
  'running',
  'executed',
  'completed',
  'stopped',
  'failed',
  'canceled',
];
export const unknownBatchStatusSchema = z
  .string()
  .min(1)
  .refine((word) => !knownBatchStatuses.includes(word), {
    message: `must not be a known batch status (${knownBatchStatuses.join(', ')})`,
  });

const settingsSchema = z.strictObject({
  /** The agents the account owns; unset, any agent UUID is accepted (the simulator cannot know a real account's). */
  agents: z
    .array(
      z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID'),
    )
    .optional(),
  rules: z
    .strictObject({
      /** `scheduled_at` must be at least this far ahead of the simulator's clock (Bolna: 2 minutes). */
      minLeadMs: milliseconds.default(120_000),
      /** Starts are rounded up to the next multiple of this since the epoch (Bolna: 10 minutes). */
      roundingMs: z.number().int().positive().default(600_000),
    })
    .prefault({}),
  calls: z
    .strictObject({
      /** Calls of one batch on the line at once (Bolna's default plan allows 10). */
      concurrency: z.number().int().positive().default(10),
      /** Least time between two call placements of one batch. */
      spacingMs: milliseconds.default(1_000),
      /** From `initiated` to `ringing`. */
      dialMs: durationSchema.default({ min: 1_000, max: 3_000 }),
      /** Ringing before an answer or a no-answer; busy lines end after a third of it, failures after half. */
      ringMs: durationSchema.default({ min: 5_000, max: 25_000 }),
      /** Conversation of an answered call (`in-progress`). */
      talkMs: durationSchema.default({ min: 30_000, max: 180_000 }),
      /** `call-disconnected` → `completed`: Bolna's post-processing takes 2–3 minutes. */
      postProcessingMs: durationSchema.default({ min: 120_000, max: 180_000 }),
      outcomes: outcomesSchema.default({ completed: 0.7, 'no-answer': 0.15, busy: 0.1, failed: 0.05 }),
      /**
       * Mixes that replace `outcomes` for calls placed in a range of the recipient's local time (the first range
       * containing the time wins; outside them all, `outcomes`). Bolna's retries use them too unless
       * `retryOutcomes` is set.
       */
      outcomesByLocalTime: z.array(localTimeOutcomesSchema).optional(),
      /** The mix of Bolna's retries (`retry_config`); unset, the same as `outcomes` (or `outcomesByLocalTime`). */
      retryOutcomes: outcomesSchema.optional(),
      /** What a minute of conversation costs, in cents (Bolna reports `total_cost` in cents). */
      costCentsPerMinute: z.number().nonnegative().default(9),
    })
    .prefault({}),
  /**
   * The agent's calling guardrails, `HH:MM` in the recipient's local time: a call (or one of Bolna's retries) due
   * outside them is not placed but shows `rescheduled` until they next open in every one of the recipient's zones,
   * when it is placed (behind the calls already waiting for a line). `bypass_call_guardrails=true` on the schedule
   * request turns them off for the batch. Unset, calls are placed at any hour.
   */
  guardrails: guardrailsSchema.optional(),
  /**
   * Recipients' time zones by number or number prefix (the longest matching prefix wins), over what
   * libphonenumber-geo-carrier derives from the number; a row's own `timezone` column (a valid IANA name) wins
   * over both.
   */
  recipientTimeZones: z.record(numberPrefixSchema, timeZoneSchema).default({}),
  account: z
    .strictObject({
      /**
       * The wallet, in cents (`GET /user/me` reports it ×100, i.e. in cents). Scheduling a batch reserves each placed
       * call's cost from it, in dial order; a call the wallet can no longer pay for ends `balance-low` unplaced.
       */
      walletCents: z.number().default(500_000),
    })
    .prefault({}),
  /** The places where Bolna's docs disagree: every documented form can be served. */
  variants: z
    .strictObject({
      createStatus: z.union([z.literal(200), z.literal(201)]).default(201),
      scheduleStatus: z.union([z.literal(200), z.literal(202)]).default(200),
      /** `"scheduled"`, or `"scheduled at <rounded start>"`. */
      scheduleStateForm: z.enum(['plain', 'with-time']).default('plain'),
      /** Which key of the batch object carries its status (`none`: no key does, at any stage). */
      statusField: statusFieldSchema.default('status'),
      /** Batch statuses as the quickstart names them (running, completed) or as the OpenAPI enum (queued, executed). */
      statusNames: z.enum(['quickstart', 'spec']).default('quickstart'),
      /**
       * `GET /batches/{id}/executions` as a bare array, as `{data, has_more: false}`, or `paged`: `{data, has_more,
       * page_number, page_size}` honouring `page_number`/`page_size` (at most 50), where a request without them gets
       * only the first page of `executionsPageSize` (as Bolna's own paging helper expects).
       */
      executionsEnvelope: z.enum(['array', 'data', 'paged']).default('array'),
      executionsPageSize: z.number().int().positive().max(50).default(20),
      /**
       * Executions of the batch's last `count` rows left out silently: of `GET /batches/{id}/executions` only (the
       * agent's v2 listing still has them), or of both listings (rows Bolna lost).
       */
      omittedExecutions: z
        .strictObject({
          count: z.number().int().nonnegative(),
          from: z.enum(['batch-listing', 'every-listing']),
        })
        .default({ count: 0, from: 'batch-listing' }),
      /** Whether the agent's v2 executions listing insists on `from` and `to` (Bolna's docs say it may). */
      agentExecutionsWindow: z.enum(['optional', 'required']).default('optional'),
      /** `GET /user/me` served, or missing (a 404 like any unknown path, before the key is even looked at). */
      accountEndpoint: z.enum(['served', 'missing']).default('served'),
      /**
       * How `GET /user/me` refuses a bad key: 403 `{detail}` like every other endpoint, or as Bolna's spec says,
       * 401 `{"error": 401, "message": "Access denied"}`.
       */
      accountKeyRefusal: z.enum(['403', '401']).default('403'),
      /**
       * When the batch reports itself finished (`completed`/`executed`): once every call is final, or, as Bolna's
       * docs allow (its batch webhook fires when the batch has finished processing and again when all executions
       * are final), once the last call of the first pass has hung up, while calls may still be in post-processing
       * or waiting for Bolna's own retry. Fixed per batch when it is scheduled.
       */
      executedReported: z.enum(['when-calls-final', 'before-calls-final']).default('when-calls-final'),
      /**
       * Bolna gives the batch up `afterStartMs` after its start, reporting `failed` or `canceled` (statuses its own
       * batch monitor treats as final); calls not final by then end `canceled`. Fixed per batch when it is
       * scheduled; a batch that finishes first is not given up.
       */
      batchGivenUp: z
        .strictObject({ status: z.enum(['failed', 'canceled']), afterStartMs: milliseconds })
        .optional(),
      /**
       * Rows Bolna's own validation drops at upload, from the end of the file: left out of `valid_contacts`, never
       * called, in no executions listing. Fixed per batch when it is created.
       */
      droppedContacts: z.number().int().nonnegative().default(0),
      /** The execution field carrying the conversation's length: the spec's, or the name also seen. */
      durationField: z.enum(['conversation_duration', 'conversation_time']).default('conversation_duration'),
      /** Whether 429 answers carry `Retry-After` (Bolna does not promise one). */
      retryAfterHeader: z.enum(['sent', 'omitted']).default('sent'),
      /**
       * Whether `POST /batches/{id}/schedule` insists on `batch_id` in its body too, as Bolna's spec lists it. Either
       * way a body `batch_id` other than the path's is refused.
       */
      scheduleBatchIdField: z.enum(['optional', 'required']).default('optional'),
      /** Whether "not queued or running" covers a batch still waiting for its start (the docs don't say). */
      stopWhileScheduled: z.enum(['stops', 'not-found']).default('stops'),
      /**
       * What a stop does to the calls already placed (initiated, ringing, talking, in post-processing): end them
       * `stopped` at once, or let them run to their natural end (what a review saw real Bolna do). Calls not yet
       * placed end `stopped` either way, and the batch reports `stopped` at once. Fixed per batch when it stops.
       */
      stopEffect: stopEffectSchema.default('ends-calls'),
      /**
       * A batch status the product does not know (`paused`, say): once a batch has started it reports this word
       * instead of `running`, and never `completed` either, while its calls run on as always. Such a batch can be
       * stopped until it is, even after its last call (Bolna never said it finished); then it reports `stopped`.
       */
      unknownBatchStatus: unknownBatchStatusSchema.optional(),
    })
    .prefault({}),
  rateLimit: z
    .strictObject({
      /**
       * Per organisation (with a configured key, the account, whichever key it has; without one, each key), over a
       * sliding minute of the simulator's clock (Bolna: 1000 per organisation).
       */
      requestsPerMinute: z.number().int().positive().default(1000),
      /** The stricter limit of the `/v2/` endpoints (Bolna: 500), counted on top of the general one. */
      v2RequestsPerMinute: z.number().int().positive().default(500),
    })
    .prefault({}),
  /** Bolna's batch webhook (simulator/webhooks.ts): sent only to loopback URLs. */
  webhooks: z
    .strictObject({
      /** Share of webhooks never sent (drawn per webhook from the seed). */
      lossRate: rate,
      /** `twice`: every webhook is delivered two times over, as a retry after a lost answer would. */
      delivery: z.enum(['once', 'twice']).default('once'),
      /** Tries after a non-2xx answer or none. */
      retries: z.number().int().nonnegative().default(3),
      retryDelayMs: milliseconds.default(1_000),
    })
    .prefault({}),
  /** Random faults for soak runs, drawn from the seed so a run repeats; tests mostly script faults instead. */
  faults: z
    .strictObject({
      serverErrorRate: rate,
      /** Answered 429 with a `Retry-After` of `retryAfterSeconds`. */
      rateLimitRate: rate,
      /** Whole seconds, or a range each random 429 draws from. */
      retryAfterSeconds: z
        .union([
          z.number().int().nonnegative(),
          z
            .strictObject({ min: z.number().int().nonnegative(), max: z.number().int().nonnegative() })
            .refine((range) => range.min <= range.max, 'min must not exceed max'),
        ])
        .default(1)
        .transform((value) => (typeof value === 'number' ? { min: value, max: value } : value)),
      dropRate: rate,
      lostResponseRate: rate,
      /** Added to every answer, in real milliseconds. */
      latencyMs: milliseconds.default(0),
    })
    .prefault({}),
});

/** A key the `Authorization: Bearer <key>` header can carry: not empty, no white space. */
export const apiKeySchema = z.string().regex(/^\S+$/, 'must be a non-empty key without white space');

const optionsSchema = settingsSchema.extend({
  /** Interface to bind (default loopback only). */
  host: z.string().min(1).default('127.0.0.1'),
  /** 0 (default) picks a free port. */
  port: z.number().int().min(0).max(65_535).default(0),
  /** When set, the only bearer key accepted (see `setApiKey` to rotate it); otherwise any non-empty key is. */
  apiKey: apiKeySchema.optional(),
  /** The simulator's notion of now; batches and rate limits follow it. May be asynchronous (Temporal's). */
  clock: z
    .custom<Clock>(
      (value) => typeof (value as Partial<Clock> | null)?.now === 'function',
      'clock must have a now() method',
    )
    .default(systemClock),
  /**
   * Added to `clock` to give Bolna's clock: positive runs Bolna ahead of the clock the test (or the worker) reads,
   * to simulate clock skew. Everything follows it: statuses, rules, rate limits, the log and the `Date` header.
   */
  clockOffsetMs: z.number().int().default(0),
  /** Seeds call plans and random faults, so the same seed replays the same run. */
  seed: z.number().int().default(1),
});

/** Live settings of a running simulator; tests may change them mid-run (they are read at each request). */
export type SimulatorSettings = z.output<typeof settingsSchema>;
export type SimulatorOptions = z.input<typeof optionsSchema>;
export type ResolvedOptions = z.output<typeof optionsSchema>;

export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new TypeError(`Invalid simulator options:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
