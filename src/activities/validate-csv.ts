import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { CsvValidationError, isCountryCode, validateCampaignCsv } from '../csv';
import type { CsvSummary } from '../csv';
import { checkCampaignInput } from '../inputs/campaign-input';
import { displayUrl } from '../platform/display-url';
import { failureTypes } from '../platform/failures';
import type { ResultsStore } from '../store/results-store';
import type { CampaignInput, CsvFacts } from '../workflows/definitions';
import { fetchCsvSource } from './csv-source';
import type { ActivityDeps } from './deps';

const cleanCsvName = 'contacts.csv';

export interface ValidateCsvInput {
  campaign: CampaignInput;
  /** Folder name for this campaign's files (unique per run chain, see campaignKey). */
  campaignKey: string;
  /**
   * When the campaign was started: a `startAt` is judged "in the past" against this, once, so a retry that runs
   * after `startAt` (a worker outage) does not fail a campaign that was fine when started.
   */
  startedAtMs?: number;
}

/**
 * Fetches (if a URL) and validates the CSV, and keeps the normalised copy that will be uploaded in the results
 * store: with object storage, whichever worker creates the batch (on another host, should this one die) reads it
 * from there. With `csvSha256` in the input (the starter's digest of the file it validated), the bytes read here
 * must be those.
 */
export function validateCsvActivity(deps: Pick<ActivityDeps, 'clock' | 'resultsStore' | 'csvSources'>) {
  return async function validateCsv(input: ValidateCsvInput): Promise<CsvFacts> {
    // The first step checks the whole input, so a wrong agent id or caller ID fails here, before any upload.
    checkCampaignInput(input.campaign, input.startedAtMs ?? (await deps.clock.now()));
    const staging = await deps.resultsStore.stage(input.campaignKey);
    try {
      const { summary } = await readCampaignCsv(input.campaign, staging.folder, deps);
      return {
        rows: summary.rows,
        variableColumns: summary.variableColumns,
        cleanCsvPath: await staging.keep(cleanCsvName),
        sha256: summary.sha256 ?? '',
      };
    } finally {
      await staging.release();
    }
  };
}

/**
 * Fetches (if a URL) and validates the campaign's CSV, writing the normalised copy as `contacts.csv` in `folder`.
 * With `csvSha256` (the starter's digest of the file it validated), the bytes read here must be those.
 */
export async function readCampaignCsv(
  campaign: Pick<CampaignInput, 'csv' | 'csvSha256' | 'defaultCountry'>,
  folder: string,
  deps: Pick<ActivityDeps, 'csvSources' | 'resultsStore'>,
): Promise<{ summary: CsvSummary; cleanCsv: string }> {
  const waveCsv = isWaveCsv(campaign.csv, deps.resultsStore)
    ? await deps.resultsStore.localFile(campaign.csv)
    : undefined;
  try {
    const source =
      waveCsv?.path ?? (await fetchCsvSource(campaign.csv, join(folder, 'source.csv'), deps.csvSources));
    return await checkCsv(campaign, source, join(folder, cleanCsvName));
  } finally {
    await waveCsv?.release();
  }
}

/**
 * An outreach campaign's wave list, which the outreach wrote in the workers' own results store for the wave's
 * batch campaign to read from there (it lies outside BOLNA_CSV_DIRS, and on object storage it is no path at all).
 * Only that file name: the store's other files (results, ledgers) are nobody's contact list.
 */
function isWaveCsv(csv: string, store: ResultsStore): boolean {
  return /[/\\]wave-\d+\.csv$/.test(csv) && store.owns(csv);
}

async function checkCsv(
  campaign: Pick<CampaignInput, 'csv' | 'csvSha256' | 'defaultCountry'>,
  source: string,
  cleanCsv: string,
): Promise<{ summary: CsvSummary; cleanCsv: string }> {
  const { defaultCountry } = campaign;
  const csvSha256 = campaign.csvSha256?.toLowerCase();
  let summary: CsvSummary;
  try {
    summary = await validateCampaignCsv(source, {
      outputPath: cleanCsv,
      ...(defaultCountry && isCountryCode(defaultCountry) ? { defaultCountry } : {}),
    });
  } catch (error) {
    // A file that changed since the starter checked it is reported as that, not as the new file's problems.
    if (csvSha256 && error instanceof CsvValidationError && (await sha256Of(source)) !== csvSha256) {
      throw csvChanged(campaign.csv);
    }
    throw error;
  }
  if (csvSha256 && summary.sourceSha256 !== csvSha256) throw csvChanged(campaign.csv);
  return { summary, cleanCsv };
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function csvChanged(csv: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: failureTypes.CsvChanged,
    message:
      `the CSV ${displayUrl(csv)} is not the file that was validated when the campaign was started (its SHA-256 ` +
      'differs from csvSha256): it changed since, or the worker sees another file at that path. Start the campaign again.',
    nonRetryable: true,
  });
}
