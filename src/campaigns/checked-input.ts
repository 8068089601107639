import { access, constants } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { isCountryCode, validateCampaignCsv } from '../csv';
import type { CsvSummary } from '../csv';
import { InvalidCampaignInputError } from '../inputs/campaign-input';
import { carriesRunDate } from '../outreach/csv-for-run';
import type { CampaignInput } from '../workflows/definitions';

export const isUrl = (csv: string) => /^https?:\/\//i.test(csv);

/** The campaign name when none is given: the CSV's file name without its extension. */
export function defaultCampaignName(csv: string): string {
  const file = basename(isUrl(csv) ? new URL(csv).pathname : csv);
  return basename(file, extname(file)) || 'campaign';
}

/**
 * Refuses `{date}` in a CSV where nothing fills it in (only an outreach schedule's runs do, each with its date), and
 * in a schedule without a name (the CSV's file name, the default name, changes every run). Pure, so the CLI runs it
 * before it connects.
 */
export function checkRunDate(csv: string, where: { scheduledOutreach: boolean; named: boolean }): void {
  if (!carriesRunDate(csv)) return;
  if (!where.scheduledOutreach) {
    throw InvalidCampaignInputError.of('campaign input', [
      {
        field: 'csv',
        value: csv,
        problem: `'${csv}' has {date}, which only the runs of a scheduled outreach campaign fill in (each with its own date): name the file itself, or schedule an outreach campaign`,
      },
    ]);
  }
  if (!where.named) {
    throw InvalidCampaignInputError.of('outreach campaign input', [
      {
        field: 'csv',
        value: csv,
        problem: `'${csv}' names a different file every run: give the schedule a name`,
      },
    ]);
  }
}

/** What both kinds of campaign input share with the local check: the CSV and how its numbers are read. */
type LocalInput = Pick<CampaignInput, 'csv' | 'csvSha256' | 'defaultCountry'> & { suppress?: string[] };

export interface LocalCheck<Input extends LocalInput> {
  /** The input's own rules (checkCampaignInput or checkOutreachInput), at this moment. */
  checkInput: (input: Input, nowMs: number) => void;
  /** Check the CSV here; false for a path that exists only on the worker's host. */
  validateLocally: boolean;
  /** Send the checked file's SHA-256, so the worker refuses any other file (not for schedules: each run reads afresh). */
  pinDigest: boolean;
  /** The CSV may carry `{date}` (an outreach schedule's runs fill it in); refused anywhere else. */
  runDate?: boolean;
}

/**
 * Checks what can be checked before anything starts: a bad country, start time or local CSV costs nothing. A
 * local CSV checked here is sent as an absolute path, so the worker does not resolve it in a folder of its own,
 * and, with `pinDigest`, with the digest of the bytes checked. Local do-not-call lists must be readable, and are
 * sent as absolute paths too. A CSV that names each run's list (`{date}`) has no file yet: only its folder is kept.
 */
export async function checkInputLocally<Input extends LocalInput>(
  input: Input,
  how: LocalCheck<Input>,
): Promise<{ sent: Input; csv?: CsvSummary }> {
  how.checkInput(input, Date.now());
  if (!how.runDate) checkRunDate(input.csv, { scheduledOutreach: false, named: true });
  if (!how.validateLocally) return { sent: input };
  const suppress = input.suppress && (await readableLists(input.suppress));
  const withLists = suppress ? { ...input, suppress } : input;
  if (isUrl(input.csv)) return { sent: withLists };
  if (carriesRunDate(input.csv)) return { sent: { ...withLists, csv: resolve(input.csv) } };
  const { defaultCountry } = input;
  const csv = await validateCampaignCsv(
    input.csv,
    defaultCountry && isCountryCode(defaultCountry) ? { defaultCountry } : {},
  );
  if (input.csvSha256 && input.csvSha256.toLowerCase() !== csv.sourceSha256) {
    throw new InvalidCampaignInputError(
      `Invalid campaign input:\n  csvSha256: the file '${input.csv}' has SHA-256 ${csv.sourceSha256}`,
    );
  }
  const sent = {
    ...withLists,
    csv: resolve(input.csv),
    ...(how.pinDigest ? { csvSha256: csv.sourceSha256 } : {}),
  };
  return { sent, csv };
}

/** Local do-not-call lists, absolute, once each is known to be readable here (a missing one fails with ENOENT). */
async function readableLists(lists: string[]): Promise<string[]> {
  return Promise.all(
    lists.map(async (list) => {
      if (isUrl(list)) return list;
      await access(list, constants.R_OK);
      return resolve(list);
    }),
  );
}
