import { z } from 'zod';
import type { ScheduleRules } from '../bolna/schedule-time';
import { roundUpToMark } from '../bolna/schedule-time';
import { parseIsoWithOffset } from '../bolna/timestamps';
import { callingWindowSchema, windowTimeZone } from '../outreach/calling-window';
import { isKnownZone } from '../outreach/zone-clock';
import { durationMs, inWords } from '../platform/duration';
import { retryableCallStatuses } from '../workflows/outreach-definitions';
import type { OutreachInput } from '../workflows/outreach-definitions';
import { campaignInputSchema, dateTimeProblem, throwIfInvalid } from './campaign-input';

/**
 * An `outreachCampaign`'s settings, checked before anything reaches Bolna: the `batchCampaign` fields exactly as
 * checkCampaignInput checks them (the same schema, extended), plus how the waves run. Limits that come from
 * Bolna's rules (the lead, the rounding) follow `rules`, so the simulator's shrunk rules shrink them too. The
 * calling window is checked by src/outreach/calling-window.ts, which also plans the waves inside it.
 */

/** Why `zone` is not an IANA time zone, in words (a schedule's `timezone`); undefined when it is one. */
export function ianaTimeZoneProblem(zone: string): string | undefined {
  return isKnownZone(zone) ? undefined : 'must be an IANA time zone such as Asia/Kolkata';
}

const retryPolicySchema = (rules: ScheduleRules) =>
  z.strictObject({
    on: z
      .array(z.enum(retryableCallStatuses, `must be one of ${retryableCallStatuses.join(', ')}`))
      .min(1, `must list at least one call status to retry: ${retryableCallStatuses.join(', ')}`),
    maxAttempts: z
      .number()
      .int()
      .min(2, 'must be at least 2 (the first call and one retry)')
      .max(10, 'must be at most 10'),
    after: z.string().superRefine((text, context) => {
      const spanMs = durationMs(text);
      if (spanMs === undefined) {
        context.addIssue({
          code: 'custom',
          message: `'${text}' is not a duration: write it like '2h' or '90 minutes'`,
        });
      } else if (spanMs < rules.roundingMs) {
        context.addIssue({
          code: 'custom',
          message: `'${text}' is shorter than Bolna's rounding of batch starts (${inWords(rules.roundingMs)}): a retry cannot start sooner`,
        });
      }
    }),
  });

const outreachInputSchema = (nowMs: number, rules: ScheduleRules) =>
  campaignInputSchema(nowMs).extend({
    retry: retryPolicySchema(rules).optional(),
    window: callingWindowSchema(rules.roundingMs).optional(),
    deadline: z
      .string()
      .superRefine((text, context) => {
        const problem = dateTimeProblem(text);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    budget: z
      .strictObject({
        maxCost: z.number().positive('must be more than 0 (cents)'),
        checkEveryMinutes: z
          .number()
          .min(1, 'must be at least 1 minute')
          .max(60, 'must be at most 60 minutes: a longer gap lets the spend overshoot further')
          .optional(),
      })
      .optional(),
    goal: z
      .strictObject({
        field: z.string().trim().min(1, "must name a field of the calls' extracted_data"),
        equals: z.union([z.string(), z.number(), z.boolean()], 'must be a string, a number or true/false'),
        count: z.number().int().min(1, 'must be at least 1'),
      })
      .optional(),
    suppress: z
      .array(
        z
          .string()
          .trim()
          .min(1, 'must be a path or an http(s) URL')
          .refine(
            (source) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(source) || /^https?:\/\//i.test(source),
            'must be a path or an http(s) URL',
          ),
      )
      .min(1, 'must list at least one do-not-call CSV (or leave it out)')
      .optional(),
    maxCallsPerNumberPerDay: z.number().int().min(1, 'must be at least 1').optional(),
    scheduleTimeZone: windowTimeZone
      .refine((zone) => zone !== 'recipient', 'must be an IANA time zone such as Asia/Kolkata')
      .optional(),
  });

/**
 * The earliest a wave can start: Bolna's lead from now, or the requested start if later, rounded up to Bolna's next
 * mark, as Bolna itself rounds every start.
 */
function firstPossibleStartMs(nowMs: number, rules: ScheduleRules, startAt: unknown): number {
  const requestedMs =
    typeof startAt === 'string' && dateTimeProblem(startAt) === undefined
      ? parseIsoWithOffset(startAt).getTime()
      : 0;
  return roundUpToMark(Math.max(nowMs + rules.minLeadMs, requestedMs), rules);
}

/** A deadline no wave could meet, in words; undefined when there is none or it is not a usable date-time. */
function deadlineProblem(input: unknown, nowMs: number, rules: ScheduleRules): string | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  const { deadline, startAt } = input as Record<string, unknown>;
  if (typeof deadline !== 'string' || dateTimeProblem(deadline) !== undefined) return undefined;
  const firstStartMs = firstPossibleStartMs(nowMs, rules, startAt);
  if (parseIsoWithOffset(deadline).getTime() > firstStartMs) return undefined;
  return `${deadline} is not after the first possible start, ${new Date(firstStartMs).toISOString()} (Bolna's lead of ${inWords(rules.minLeadMs)}${typeof startAt === 'string' ? ' or startAt' : ''}, rounded up to its ${inWords(rules.roundingMs)} mark): no wave could run; set a later deadline`;
}

/**
 * Throws InvalidCampaignInputError naming every wrong field of an `outreachCampaign`'s input, e.g.
 * `retry.after: '5m' is shorter than Bolna's rounding …`. `nowMs` is when the campaign was started (a `startAt` or
 * `deadline` is judged against it); `rules` are Bolna's scheduling rules in force (the configured settings).
 */
export function checkOutreachInput(
  input: unknown,
  nowMs: number,
  rules: ScheduleRules,
): asserts input is OutreachInput {
  const issues: z.core.$ZodIssue[] = [
    ...(outreachInputSchema(nowMs, rules).safeParse(input).error?.issues ?? []),
  ];
  const deadline = deadlineProblem(input, nowMs, rules);
  if (deadline) issues.push({ code: 'custom', path: ['deadline'], message: deadline, input });
  throwIfInvalid(issues, input, 'outreach campaign input');
}
