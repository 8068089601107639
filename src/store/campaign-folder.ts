import { join } from 'node:path';
import { safeFileName } from '../workflows/campaign-key';

/**
 * The folder of one campaign's files (clean CSV, results) under the results root. The key comes from the
 * workflow, but workflow IDs are chosen by whoever starts one: never let a key climb out of the results folder.
 */
export function campaignFolder(resultsDir: string, campaignKey: string): string {
  return join(resultsDir, safeFileName(campaignKey));
}
