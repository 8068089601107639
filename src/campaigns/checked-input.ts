import { basename, extname, resolve } from 'node:path';
import { checkCampaignInput, InvalidCampaignInputError } from '../campaign-input';
import { isCountryCode, validateCampaignCsv } from '../csv';
import type { CsvSummary } from '../csv';
import type { CampaignInput } from '../workflows/definitions';

const isUrl = (csv: string) => /^https?:\/\//i.test(csv);

/** The campaign name when none is given: the CSV's file name without its extension. */
export function defaultCampaignName(csv: string): string {
  const file = basename(isUrl(csv) ? new URL(csv).pathname : csv);
  return basename(file, extname(file)) || 'campaign';
}

/**
 * Checks what can be checked before anything starts: a bad country, start time or local CSV costs nothing. A
 * local CSV checked here is sent as an absolute path, so the worker does not resolve it in a folder of its own,
 * and, with `pinDigest`, with the digest of the bytes checked.
 */
export async function checkInputLocally(
  input: CampaignInput,
  validateLocally: boolean,
  pinDigest: boolean,
): Promise<{ sent: CampaignInput; csv?: CsvSummary }> {
  checkCampaignInput(input, Date.now());
  if (!validateLocally || isUrl(input.csv)) return { sent: input };
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
  const sent = { ...input, csv: resolve(input.csv), ...(pinDigest ? { csvSha256: csv.sourceSha256 } : {}) };
  return { sent, csv };
}
