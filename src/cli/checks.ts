import { access, constants, stat } from 'node:fs/promises';
import { isUrl } from '../campaigns/checked-input';
import { campaignInputSchema, InvalidCampaignInputError } from '../inputs/campaign-input';
import type { FieldProblem } from '../inputs/campaign-input';
import { ianaTimeZoneProblem } from '../inputs/outreach-input';
import { carriesRunDate } from '../outreach/csv-for-run';
import { campaignWorkflowId } from '../workflows/definitions';
import { CliExit, exitCodes } from './exit-codes';

/**
 * What every command checks of its own input before it connects to Temporal, worded for the command line: each
 * problem names the option (`--agent`, not `agentId`) and the form it expects. The rules themselves are the
 * library's (src/inputs/campaign-input.ts, src/inputs/outreach-input.ts, src/campaigns/checked-input.ts); this only renames.
 */

/** The option that sets each input field (a field's sub-fields belong to its option unless listed). */
const optionOfField: Readonly<Record<string, string>> = {
  agentId: '--agent',
  csv: '--csv',
  campaignName: '--name',
  startAt: '--start-at',
  fromPhoneNumbers: '--from',
  defaultCountry: '--country',
  retryConfig: '--retry-config',
  webhookUrl: '--webhook-url',
  pollIntervalSeconds: '--poll-interval',
  retry: '--retry',
  'retry.on': '--retry',
  'retry.maxAttempts': '--max-attempts',
  'retry.after': '--retry-after',
  window: '--window',
  'window.days': '--days',
  'window.timeZone': '--time-zone',
  'window.holidays': '--holidays',
  deadline: '--deadline',
  budget: '--budget',
  goal: '--goal',
  suppress: '--suppress',
  maxCallsPerNumberPerDay: '--max-calls-per-day',
  cron: '--cron',
  timezone: '--timezone',
  catchupWindow: '--catchup-window',
};

/** `--agent must be a UUID, e.g. …`; `--from '+1' must be E.164, …` for one of a list; `--window (end) must be …`. */
function optionProblem({ field, value, problem }: FieldProblem): string {
  const path = field.split('.');
  let depth = path.length;
  while (depth > 0 && optionOfField[path.slice(0, depth).join('.')] === undefined) depth -= 1;
  const option = depth > 0 ? optionOfField[path.slice(0, depth).join('.')]! : field;
  const rest = path.slice(depth);
  const listed = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  const which =
    rest.length === 0
      ? ''
      : /^\d+$/.test(rest.at(-1)!) && listed !== undefined
        ? ` '${listed}'`
        : ` (${rest.join('.')})`;
  const joiner = /^(must|is|lists)\b/.test(problem) ? ' ' : ': ';
  return `${option}${which}${joiner}${problem}`;
}

/** Runs the library's check; what it refuses exits 2, one line per wrong option. */
export function checkOptions(check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof InvalidCampaignInputError && error.problems.length > 0) {
      throw new CliExit(exitCodes.invalidInput, error.problems.map(optionProblem).join('\n'));
    }
    throw error;
  }
}

/** `--agent` of `list` and `batches`: a UUID, as a campaign's `agentId`. */
export function checkAgentOption(agent: string | undefined): void {
  if (agent === undefined) return;
  const issue = campaignInputSchema(0).shape.agentId.safeParse(agent).error?.issues[0];
  if (issue) throw new CliExit(exitCodes.invalidInput, `--agent ${issue.message}`);
}

/** `--name`: something a workflow ID can be made of. */
export function checkNameOption(name: string | undefined): void {
  if (name === undefined) return;
  try {
    campaignWorkflowId(name);
  } catch {
    throw new CliExit(
      exitCodes.invalidInput,
      `--name '${name}' must hold a letter or digit (letters, digits, '.', '_' and '-' are kept), e.g. december-reminders`,
    );
  }
}

/** `<campaign>` of the commands that find one: a campaign name or a workflow ID. */
export function checkCampaignArgument(campaign: string): void {
  if (campaign.trim() === '') {
    throw new CliExit(
      exitCodes.invalidInput,
      '<campaign> must be a campaign name or workflow ID, e.g. december-reminders or campaign-december-reminders',
    );
  }
}

/** `--timezone` of `schedule`. */
export function checkTimeZoneOption(zone: string | undefined): void {
  const problem = zone === undefined ? undefined : ianaTimeZoneProblem(zone);
  if (problem) throw new CliExit(exitCodes.invalidInput, `--timezone '${zone!}' ${problem}`);
}

/**
 * The files the command reads here: `--csv` (unless a URL, or a `{date}` list a schedule's runs name) and each
 * `--suppress` list that is not a URL. Skipped with `--csv-on-worker`: those paths are the worker's.
 */
export async function checkLocalFiles(csv: string, suppress: readonly string[] = []): Promise<void> {
  const files: [string, string][] = [
    ...(isUrl(csv) || carriesRunDate(csv) ? [] : [['--csv', csv] as [string, string]]),
    ...suppress.filter((list) => !isUrl(list)).map((list): [string, string] => ['--suppress', list]),
  ];
  for (const [option, path] of files) {
    const problem = await fileProblem(path);
    if (problem) {
      throw new CliExit(
        exitCodes.invalidInput,
        `${option} '${path}': ${problem}; it must be a CSV file readable here or an http(s) URL ` +
          '(add --csv-on-worker for a path only the worker can read)',
      );
    }
  }
}

async function fileProblem(path: string): Promise<string | undefined> {
  try {
    if (!(await stat(path)).isFile()) return 'is not a file';
    await access(path, constants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(error);
  }
}
