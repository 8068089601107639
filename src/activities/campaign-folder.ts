import { join } from 'node:path';

/**
 * The folder of one campaign's files (clean CSV, results) under the results root. Workflow IDs are chosen by
 * whoever starts the workflow; never let one climb out of the results folder.
 */
export function campaignFolder(resultsDir: string, campaignKey: string): string {
  return join(resultsDir, campaignKey.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_'));
}
