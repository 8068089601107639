import { downloadCsv } from './csv-download';
import type { DownloadPolicy } from './csv-download';
import { allowedLocalCsv } from './csv-folder-policy';

/** Where a campaign's CSV may come from (BOLNA_CSV_DIRS, BOLNA_CSV_ALLOWED_HOSTS and the download bounds). */
export interface CsvSourcePolicy extends DownloadPolicy {
  /** Folders local CSVs are read from (absolute). */
  allowedDirs: readonly string[];
}

const isUrl = (csv: string) => /^https?:\/\//i.test(csv);

/**
 * Makes the campaign's CSV available as a local file: a path is used where it is (it must lie inside the allowed
 * folders on the worker's host), a URL is downloaded to `downloadPath` within the download policy, streamed to
 * disk rather than held in memory. Returns the local path.
 */
export async function fetchCsvSource(
  csv: string,
  downloadPath: string,
  policy: CsvSourcePolicy,
): Promise<string> {
  if (!isUrl(csv)) return allowedLocalCsv(csv, policy.allowedDirs);
  await downloadCsv(csv, downloadPath, policy);
  return downloadPath;
}
