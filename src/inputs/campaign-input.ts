import { z } from 'zod';
import { parseIsoWithOffset } from '../bolna/timestamps';
import { isCountryCode } from '../csv';
import { failureTypes } from '../platform/failures';
import type { CampaignInput } from '../workflows/definitions';

/**
 * The campaign's own settings, checked before anything reaches Bolna (the CSV is checked separately, row by
 * row). Both the CLI/starter and the first activity run it, so input typed into `temporal workflow start` is
 * held to the same rules. Limits follow Bolna's docs (e.g. `retry_config.max_retries` 1–3). Unknown keys are
 * refused: a misspelt `start_at` silently ignored would call everyone at the wrong time.
 */
const e164 = z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be E.164, e.g. +14155550100');

const retryConfigSchema = z.strictObject({
  enabled: z.boolean(),
  max_retries: z.number().int().min(1).max(3).optional(),
  retry_on_statuses: z.array(z.enum(['no-answer', 'busy', 'failed', 'error'])).optional(),
  retry_on_voicemail: z.boolean().optional(),
  retry_intervals_minutes: z.array(z.number().positive()).min(1).max(3).optional(),
});

/**
 * `nowMs` is when the campaign was started, for refusing a start already past then: nobody chose that time. A start
 * that passes later (the campaign waited for a worker) means "as soon as Bolna allows".
 */
export const campaignInputSchema = (nowMs: number) =>
  z.strictObject({
    agentId: z
      .string()
      .regex(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
        'must be a UUID, e.g. 3c9a1f2e-8b4d-4e6a-9c1f-2d7e5b8a0c34',
      ),
    csv: z.string().trim().min(1, 'must be a path or an http(s) URL'),
    campaignName: z.string().trim().min(1).max(200).optional(),
    csvSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/i, "must be the CSV file's SHA-256 digest: 64 hexadecimal characters")
      .optional(),
    startAt: z
      .string()
      .superRefine((text, context) => {
        const problem = dateTimeProblem(text);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      })
      .refine((text) => dateTimeProblem(text) !== undefined || parseIsoWithOffset(text).getTime() >= nowMs, {
        error: (issue) =>
          `${String(issue.input)} is in the past (the campaign started at ${new Date(nowMs).toISOString()}); leave it out to start as soon as Bolna allows`,
      })
      .optional(),
    startBy: z
      .string()
      .superRefine((text, context) => {
        const problem = dateTimeProblem(text);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    fromPhoneNumbers: z
      .array(e164)
      .min(1, 'must list at least one caller ID (or leave the option out)')
      .refine((numbers) => new Set(numbers).size === numbers.length, 'lists a caller ID twice')
      .optional(),
    defaultCountry: z
      .string()
      .refine(isCountryCode, 'must be an ISO 3166 country code such as IN or US')
      .optional(),
    retryConfig: retryConfigSchema.optional(),
    webhookUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    bypassCallGuardrails: z.boolean().optional(),
    pollIntervalSeconds: z
      .number()
      .min(1, 'must be 1 to 3600 seconds')
      .max(3_600, 'must be 1 to 3600 seconds')
      .optional(),
    webhookPollSeconds: z.number().min(1).max(3_600).optional(),
    runningTimeoutMinutes: z.number().positive().optional(),
    keyRefusedRetryMinutes: z.number().min(0).optional(),
    stopDrainMinutes: z.number().min(0).optional(),
    maxHistoryEvents: z.number().int().min(20).optional(),
    /** Set by the workflow itself on continue-as-new (the workflow refuses it anywhere else). */
    resume: z.unknown().optional(),
  });

/** Why `text` is not a usable date-time with a zone, in words; undefined when it is one. */
export function dateTimeProblem(text: string): string | undefined {
  try {
    parseIsoWithOffset(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return /with a zone/.test(error.message)
      ? 'must be ISO 8601 with a zone, e.g. 2026-12-01T10:00:00+05:30'
      : error.message.replace(/^'[^']*': /, `${text}: `);
  }
}

/** One wrong field: its path in the input (`retry.after`, `fromPhoneNumbers.1`), the value given, what is wrong. */
export interface FieldProblem {
  field: string;
  value: unknown;
  problem: string;
}

export class InvalidCampaignInputError extends Error {
  override readonly name = failureTypes.InvalidCampaignInput;

  /** `problems`, when given, are the fields the message lists, so a caller can name them its own way (the CLI: options). */
  constructor(
    message: string,
    readonly problems: readonly FieldProblem[] = [],
  ) {
    super(message);
  }

  /** `Invalid <what>:` and one line per problem, `<field>: <problem>`. */
  static of(what: string, problems: readonly FieldProblem[]): InvalidCampaignInputError {
    const lines = problems.map(({ field, problem }) => `${field}: ${problem}`);
    return new InvalidCampaignInputError(`Invalid ${what}:\n  ${lines.join('\n  ')}`, problems);
  }
}

/** Throws InvalidCampaignInputError naming every wrong field, e.g. `agentId: must be a UUID`. */
export function checkCampaignInput(input: unknown, nowMs: number): asserts input is CampaignInput {
  throwIfInvalid(campaignInputSchema(nowMs).safeParse(input).error?.issues ?? [], input, 'campaign input');
}

/**
 * Throws InvalidCampaignInputError listing every problem zod found in `input`, each under its field's path, in
 * words that say what to do. One wording for every kind of campaign input, so errors read alike.
 */
export function throwIfInvalid(issues: readonly z.core.$ZodIssue[], input: unknown, what: string): void {
  if (issues.length === 0) return;
  const problems = issues.map((issue) => {
    const value = valueAt(input, issue.path);
    return { field: issue.path.join('.') || 'input', value, problem: describe(issue, value) };
  });
  throw InvalidCampaignInputError.of(what, problems);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (value, key) =>
      value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined,
    input,
  );
}

/** zod's wording is for programmers; these say what to do. */
function describe(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown option(s) ${issue.keys.map((key) => `'${key}'`).join(', ')}`;
  }
  if (issue.code === 'invalid_type') {
    if (value === undefined) return 'is required';
    const readable: Partial<Record<string, string>> = { object: 'JSON object', int: 'whole number' };
    const expected = readable[issue.expected] ?? issue.expected;
    return `must be ${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}, not ${JSON.stringify(value)}`;
  }
  return issue.message;
}
