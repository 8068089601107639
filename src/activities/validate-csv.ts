import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { checkCampaignInput } from '../campaign-input';
import { isCountryCode, validateCampaignCsv } from '../csv';
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

/** Fetches (if a URL) and validates the CSV, and writes the normalised copy that will be uploaded. */
export function validateCsvActivity(deps: Pick<ActivityDeps, 'clock' | 'resultsDir'>) {
  return async function validateCsv(input: ValidateCsvInput): Promise<CsvFacts> {
    // The first step checks the whole input, so a wrong agent id or caller ID fails here, before any upload.
    checkCampaignInput(input.campaign, input.startedAtMs ?? (await deps.clock.now()));
    const { defaultCountry } = input.campaign;
    const directory = campaignFolder(deps.resultsDir, input.campaignKey);
    await mkdir(directory, { recursive: true, mode: ownerOnlyDirectory });
    const source = await fetchCsvSource(input.campaign.csv, join(directory, 'source.csv'));
    const cleanCsvPath = join(directory, 'contacts.csv');
    const summary = await validateCampaignCsv(source, {
      outputPath: cleanCsvPath,
      ...(defaultCountry && isCountryCode(defaultCountry) ? { defaultCountry } : {}),
    });
    return {
      rows: summary.rows,
      variableColumns: summary.variableColumns,
      cleanCsvPath,
      sha256: summary.sha256 ?? '',
    };
  };
}
