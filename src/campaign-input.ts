import { z } from 'zod';
import { parseIsoWithOffset } from './bolna/timestamps';
import { isCountryCode } from './csv';
import type { CampaignInput } from './workflows/definitions';

/**
 * The campaign's own settings, checked before anything reaches Bolna (the CSV is checked separately, row by
 * row). Both the CLI/starter and the first activity run it, so input typed into `temporal workflow start` is
 * held to the same rules. Limits follow Bolna's docs (e.g. `retry_config.max_retries` 1–3).
 */
const campaignInputSchema = z.looseObject({
  agentId: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID'),
  csv: z.string().trim().min(1, 'must be a path or an http(s) URL'),
  startAt: z
    .string()
    .refine((text) => isIsoWithZone(text), 'must be ISO 8601 with a zone, e.g. 2026-12-01T10:00:00+05:30')
    .optional(),
  fromPhoneNumbers: z
    .array(z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be E.164, e.g. +14155550100'))
    .optional(),
  defaultCountry: z
    .string()
    .refine(isCountryCode, 'must be an ISO 3166 country code such as IN or US')
    .optional(),
  retryConfig: z
    .object({
      enabled: z.boolean(),
      max_retries: z.number().int().min(1).max(3).optional(),
      retry_on_statuses: z.array(z.enum(['no-answer', 'busy', 'failed', 'error'])).optional(),
      retry_on_voicemail: z.boolean().optional(),
      retry_intervals_minutes: z.array(z.number().positive()).optional(),
    })
    .optional(),
  webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  bypassCallGuardrails: z.boolean().optional(),
  pollIntervalSeconds: z.number().min(1).optional(),
  maxHistoryEvents: z.number().int().min(20).optional(),
});

function isIsoWithZone(text: string): boolean {
  try {
    parseIsoWithOffset(text);
    return true;
  } catch {
    return false;
  }
}

export class InvalidCampaignInputError extends Error {
  override readonly name = 'InvalidCampaignInput';
}

/** Throws InvalidCampaignInputError naming every wrong field, e.g. `agentId: must be a UUID`. */
export function checkCampaignInput(input: CampaignInput): void {
  const result = campaignInputSchema.safeParse(input);
  if (result.success) return;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`);
  throw new InvalidCampaignInputError(`Invalid campaign input:\n  ${problems.join('\n  ')}`);
}
