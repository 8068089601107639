import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { checkCampaignInput } from '../campaign-input';
import { CsvValidationError, isCountryCode, validateCampaignCsv } from '../csv';
import type { CsvSummary } from '../csv';
import { displayUrl } from '../display-url';
import { failureTypes } from '../failures';
import { ownerOnlyDirectory } from '../file-modes';
import type { CampaignInput, CsvFacts } from '../workflows/definitions';
import { campaignFolder } from './campaign-folder';
import { fetchCsvSource } from './csv-source';
import type { ActivityDeps } from './deps';

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
 * Fetches (if a URL) and validates the CSV, and writes the normalised copy that will be uploaded. With
 * `csvSha256` in the input (the starter's digest of the file it validated), the bytes read here must be those.
 */
export function validateCsvActivity(deps: Pick<ActivityDeps, 'clock' | 'resultsDir' | 'csvSources'>) {
  return async function validateCsv(input: ValidateCsvInput): Promise<CsvFacts> {
    // The first step checks the whole input, so a wrong agent id or caller ID fails here, before any upload.
    checkCampaignInput(input.campaign, input.startedAtMs ?? (await deps.clock.now()));
    const { defaultCountry } = input.campaign;
    const csvSha256 = input.campaign.csvSha256?.toLowerCase();
    const directory = campaignFolder(deps.resultsDir, input.campaignKey);
    await mkdir(directory, { recursive: true, mode: ownerOnlyDirectory });
    const source = await fetchCsvSource(input.campaign.csv, join(directory, 'source.csv'), deps.csvSources);
    const cleanCsvPath = join(directory, 'contacts.csv');
    let summary: CsvSummary;
    try {
      summary = await validateCampaignCsv(source, {
        outputPath: cleanCsvPath,
        ...(defaultCountry && isCountryCode(defaultCountry) ? { defaultCountry } : {}),
      });
    } catch (error) {
      // A file that changed since the starter checked it is reported as that, not as the new file's problems.
      if (csvSha256 && error instanceof CsvValidationError && (await sha256Of(source)) !== csvSha256) {
        throw csvChanged(input.campaign.csv);
      }
      throw error;
    }
    if (csvSha256 && summary.sourceSha256 !== csvSha256) throw csvChanged(input.campaign.csv);
    return {
      rows: summary.rows,
      variableColumns: summary.variableColumns,
      cleanCsvPath,
      sha256: summary.sha256 ?? '',
    };
  };
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
