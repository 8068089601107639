import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import ms from 'ms';
import type { StringValue } from 'ms';
import { parseIsoWithOffset } from '../bolna/timestamps';
import type { CampaignInput } from '../workflows/definitions';

/** The options `start` and `schedule` share, as Commander parses them. */
export interface CampaignCliOptions {
  agent: string;
  csv: string;
  name?: string;
  from?: string[];
  country?: string;
  webhookUrl?: string;
  retryConfig?: CampaignInput['retryConfig'];
  pollInterval?: number;
  csvOnWorker?: boolean;
  json?: boolean;
}

export const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
};

/** Only the JSON syntax is checked here; what it holds is checked with the rest of the input, before any start. */
const jsonObject = (value: string): CampaignInput['retryConfig'] => {
  try {
    return JSON.parse(value) as CampaignInput['retryConfig'];
  } catch {
    throw new InvalidArgumentError('must be a JSON object');
  }
};

/** Adds the options `start` and `schedule` share: what to call, whom, and how. */
export function withCampaignOptions(command: Command): Command {
  return command
    .requiredOption('--agent <uuid>', 'Bolna agent that makes the calls')
    .requiredOption(
      '--csv <path-or-url>',
      'contact list with a contact_number column (a path the worker can read, or a URL)',
    )
    .option(
      '--csv-on-worker',
      "the --csv path exists only on the worker's host: send it as given, without checking it here",
    )
    .option('--name <name>', 'campaign name; the workflow ID is campaign-<name> (default: the CSV file name)')
    .option('--from <numbers...>', 'caller IDs for Bolna to use')
    .option('--country <code>', 'country for numbers written without +, e.g. IN')
    .option('--webhook-url <url>', 'Bolna POSTs the batch here when it finishes')
    .option('--retry-config <json>', "Bolna's own per-call retry_config, as JSON", jsonObject)
    .option('--poll-interval <seconds>', 'how often to poll the running batch', positiveInt)
    .option('--json', 'machine-readable output');
}

/** The workflow input the shared options describe (`start` adds `startAt`); also the base of an outreach input. */
export function campaignInput(options: CampaignCliOptions): Omit<CampaignInput, 'resume'> {
  return {
    agentId: options.agent,
    csv: options.csv,
    ...(options.from ? { fromPhoneNumbers: options.from } : {}),
    ...(options.country ? { defaultCountry: options.country } : {}),
    ...(options.webhookUrl ? { webhookUrl: options.webhookUrl } : {}),
    ...(options.retryConfig ? { retryConfig: options.retryConfig } : {}),
    ...(options.pollInterval ? { pollIntervalSeconds: options.pollInterval } : {}),
  };
}

/**
 * A moment, for `list --since/--until`: a date-time with its offset (`2026-12-01T09:00:00+05:30`), a date (UTC
 * midnight), or a span before now written as Temporal's SDK writes durations (`90 minutes`, `2h`, `7d`).
 */
export function pointInTime(value: string, now: () => number = Date.now): Date {
  const span = ms(value as StringValue);
  if (typeof span === 'number' && Number.isFinite(span) && span >= 0) return new Date(now() - span);
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value.trim());
  const candidate = dateOnly ? `${value.trim()}T00:00:00Z` : value;
  try {
    return parseIsoWithOffset(candidate);
  } catch (error) {
    // A well-formed date that does not exist gets its own words (February 2026 has no day 30).
    const impossible = error instanceof RangeError && error.message.startsWith(`'${candidate}': `);
    const problem = impossible ? ` (${error.message})` : '';
    throw new InvalidArgumentError(
      `must be a date (2026-12-01), a date-time with its offset (2026-12-01T09:00:00+05:30) or a span like 2h or 7d${problem}`,
    );
  }
}
