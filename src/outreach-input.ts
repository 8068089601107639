import { z } from 'zod';
import type { ScheduleRules } from './activities/schedule-time';
import { roundUpToMark } from './activities/schedule-time';
import { parseIsoWithOffset } from './bolna/timestamps';
import { campaignInputSchema, dateTimeProblem, throwIfInvalid } from './campaign-input';
import { durationMs, inWords } from './duration';
import { retryableCallStatuses, weekdays } from './workflows/outreach-definitions';
import type { OutreachInput } from './workflows/outreach-definitions';

/**
 * An `outreachCampaign`'s settings, checked before anything reaches Bolna: the `batchCampaign` fields exactly as
 * checkCampaignInput checks them (the same schema, extended), plus how the waves run. Limits that come from
 * Bolna's rules (the lead, the rounding) follow `rules`, so the simulator's shrunk rules shrink them too. The
 * calling window is only checked for shape here; src/outreach/ plans the waves inside it.
 */

const minute = 60_000;

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Why `zone` is not an IANA time zone, in words (a schedule's `timezone`); undefined when it is one. */
export function ianaTimeZoneProblem(zone: string): string | undefined {
  return isKnownTimeZone(zone) ? undefined : 'must be an IANA time zone such as Asia/Kolkata';
}

const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:MM (24 h), e.g. 09:00');
const minutesOfDay = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));

const calendarDate = z.string().refine((text) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}, 'must be a real date YYYY-MM-DD, e.g. 2026-12-25');

const timeZone = z
  .string()
  .refine(
    (zone) => zone === 'recipient' || isKnownTimeZone(zone),
    "must be 'recipient' or an IANA time zone such as Asia/Kolkata",
  );

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

const callingWindowSchema = (rules: ScheduleRules) =>
  z
    .strictObject({
      start: timeOfDay,
      end: timeOfDay,
      days: z
        .array(z.enum(weekdays, `must be one of ${weekdays.join(', ')}`))
        .min(1, 'must list at least one day (or leave it out for every day)')
        .optional(),
      timeZone: timeZone.optional(),
      holidays: z.array(calendarDate).optional(),
    })
    .superRefine((window, context) => {
      const spanMs = (minutesOfDay(window.end) - minutesOfDay(window.start)) * minute;
      if (spanMs <= 0) {
        context.addIssue({
          code: 'custom',
          path: ['end'],
          message: `must be after start (${window.start}) on the same day; a window across midnight is not supported: split the day's calling into the hours before midnight`,
        });
      } else if (spanMs < rules.roundingMs) {
        context.addIssue({
          code: 'custom',
          path: ['end'],
          message: `the window ${window.start}-${window.end} is shorter than Bolna's rounding of batch starts (${inWords(rules.roundingMs)}): no wave could start inside it`,
        });
      }
    });

const outreachInputSchema = (nowMs: number, rules: ScheduleRules) =>
  campaignInputSchema(nowMs).extend({
    retry: retryPolicySchema(rules).optional(),
    window: callingWindowSchema(rules).optional(),
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
    scheduleTimeZone: timeZone
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
