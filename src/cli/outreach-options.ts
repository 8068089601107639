import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import type {
  CampaignGoal,
  OutreachInput,
  RetryableCallStatus,
  Weekday,
} from '../workflows/outreach-definitions';
import { CliExit, exitCodes } from './exit-codes';
import { positiveInt } from './options';

/**
 * The options that make `start` (and `schedule`) run an `outreachCampaign` (waves, retries, calling windows, ...)
 * instead of a single-batch `batchCampaign`. Only their syntax is checked while parsing; what they mean is checked
 * with the rest of the input (checkOutreachInput), before anything is sent.
 */
export interface OutreachCliOptions {
  retry?: string[];
  maxAttempts?: number;
  retryAfter?: string;
  window?: { start: string; end: string };
  days?: string[];
  timeZone?: string;
  holidays?: string[];
  deadline?: string;
  budget?: number;
  goal?: CampaignGoal;
  suppress?: string[];
  maxCallsPerDay?: number;
}

/** Defaults for a `--retry` given alone: the first call and two retries, two hours apart (the example). */
const defaultMaxAttempts = 3;
const defaultRetryAfter = '2h';

const commaList = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

const timeWindow = (value: string): { start: string; end: string } => {
  const match = /^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/.exec(value);
  if (!match) throw new InvalidArgumentError('must be HH:MM-HH:MM in 24 h, e.g. 09:00-19:00');
  return { start: match[1]!.padStart(5, '0'), end: match[2]!.padStart(5, '0') };
};

const positiveNumber = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError('must be a positive number');
  return n;
};

/**
 * `--goal field=value:count`, e.g. `interested=true:50`: the campaign ends once 50 contacts' last call extracted
 * `interested` equal to `true`. The value is read as true/false, a number, or else text (`outcome=booked:20`); the
 * field ends at the first `=`, the count follows the last `:`.
 */
export function goalOption(value: string): CampaignGoal {
  const match = /^([^=]+)=(.+):(\d+)$/.exec(value.trim());
  if (!match) {
    throw new InvalidArgumentError(
      'must be field=value:count, e.g. interested=true:50 (50 contacts with interested = true)',
    );
  }
  const [, field, text, count] = match as unknown as [string, string, string, string];
  const equals =
    text === 'true' ? true : text === 'false' ? false : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  return { field: field.trim(), equals, count: Number(count) };
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds the outreach options; `deadline: false` for `schedule`, whose runs all share one input. */
export function withOutreachOptions(command: Command, { deadline }: { deadline: boolean }): Command {
  command
    .option(
      '--retry <statuses>',
      'call again, in a later wave, contacts whose call ended so (comma list of no-answer, busy, failed, error, voicemail)',
      commaList,
    )
    .option(
      '--max-attempts <n>',
      `calls per contact in all, 2-10 (default ${defaultMaxAttempts}, with --retry)`,
      positiveInt,
    )
    .option(
      '--retry-after <duration>',
      `shortest wait before a retry, e.g. 2h or '90 minutes' (default ${defaultRetryAfter})`,
    )
    .option(
      '--window <HH:MM-HH:MM>',
      "call only between these times of the contact's day, e.g. 09:00-19:00",
      timeWindow,
    )
    .option(
      '--days <days>',
      'days the window is open (comma list of mon,tue,wed,thu,fri,sat,sun; default every day)',
      (value) => commaList(value.toLowerCase()),
    )
    .option(
      '--time-zone <zone>',
      "the window's zone: recipient (each contact's own, the default) or an IANA zone such as Asia/Kolkata",
    )
    .option('--holidays <dates>', 'dates nobody is called (comma list of YYYY-MM-DD)', commaList);
  if (deadline) {
    command.option(
      '--deadline <iso8601>',
      'no wave starts after it, a running one is stopped at it; e.g. 2026-12-10T18:00:00+05:30',
    );
  }
  return command
    .option('--budget <cents>', 'stop once the calls cost this much (Bolna credits, cents)', positiveNumber)
    .option(
      '--goal <field=value:count>',
      "stop once count contacts' calls extracted field = value, e.g. interested=true:50",
      goalOption,
    )
    .option(
      '--suppress <csv>',
      'do-not-call list: a CSV (path or URL) with a contact_number column; repeat for more',
      collect,
    )
    .option('--max-calls-per-day <n>', 'calls one number gets per day at most, in its own zone', positiveInt)
    .addHelpText(
      'after',
      '\nAny of --retry, --max-attempts, --retry-after, --window, --days, --time-zone, --holidays, ' +
        `${deadline ? '--deadline, ' : ''}--budget, --goal, --suppress or --max-calls-per-day starts an outreachCampaign ` +
        '(waves of batches, workflow ID outreach-<name>) instead of a single-batch batchCampaign (campaign-<name>).',
    );
}

/**
 * The outreach part of the input, or undefined when no outreach option was given (a plain batch campaign). Options
 * that only qualify another (`--max-attempts` qualifies `--retry`, `--days` qualifies `--window`) are refused alone.
 */
export function outreachFields(options: OutreachCliOptions): Partial<OutreachInput> | undefined {
  const qualifiers: [unknown, string, unknown, string][] = [
    [options.maxAttempts, '--max-attempts', options.retry, '--retry <statuses>'],
    [options.retryAfter, '--retry-after', options.retry, '--retry <statuses>'],
    [options.days, '--days', options.window, '--window <HH:MM-HH:MM>'],
    [options.timeZone, '--time-zone', options.window, '--window <HH:MM-HH:MM>'],
    [options.holidays, '--holidays', options.window, '--window <HH:MM-HH:MM>'],
  ];
  const alone = qualifiers
    .filter(([given, , qualified]) => given !== undefined && qualified === undefined)
    .map(([, flag, , needed]) => `${flag} needs ${needed}`);
  if (alone.length > 0) throw new CliExit(exitCodes.invalidInput, alone.join('\n'));
  const fields: Partial<OutreachInput> = {
    ...(options.retry
      ? {
          retry: {
            on: options.retry as RetryableCallStatus[],
            maxAttempts: options.maxAttempts ?? defaultMaxAttempts,
            after: options.retryAfter ?? defaultRetryAfter,
          },
        }
      : {}),
    ...(options.window
      ? {
          window: {
            ...options.window,
            ...(options.days ? { days: options.days as Weekday[] } : {}),
            ...(options.timeZone ? { timeZone: options.timeZone } : {}),
            ...(options.holidays ? { holidays: options.holidays } : {}),
          },
        }
      : {}),
    ...(options.deadline ? { deadline: options.deadline } : {}),
    ...(options.budget !== undefined ? { budget: { maxCost: options.budget } } : {}),
    ...(options.goal ? { goal: options.goal } : {}),
    ...(options.suppress ? { suppress: options.suppress } : {}),
    ...(options.maxCallsPerDay !== undefined ? { maxCallsPerNumberPerDay: options.maxCallsPerDay } : {}),
  };
  return Object.keys(fields).length > 0 ? fields : undefined;
}
