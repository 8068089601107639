import { FolderStore } from './folder-store';
import type { ResultsStore } from './results-store';
import { S3Store } from './s3-store';
import type { S3StoreSettings } from './s3-store';

/** Where campaign files are kept: a folder (BOLNA_RESULTS_DIR) or an S3-compatible bucket. */
export type ResultsStoreChoice = { kind: 'folder' } | ({ kind: 's3' } & S3StoreSettings);

/** The store the configuration names: the folder BOLNA_RESULTS_DIR, or an S3-compatible bucket. */
export function openResultsStore(config: {
  resultsDir: string;
  resultsStore: ResultsStoreChoice;
}): ResultsStore {
  const { resultsStore, resultsDir } = config;
  if (resultsStore.kind === 'folder') return new FolderStore(resultsDir);
  return new S3Store(resultsStore, resultsDir);
}
