import type { Config } from '../config';
import { FolderStore } from './folder-store';
import type { ResultsStore } from './results-store';
import { S3Store } from './s3-store';

/** The store the configuration names: the folder BOLNA_RESULTS_DIR, or an S3-compatible bucket. */
export function openResultsStore(config: Pick<Config, 'resultsDir' | 'resultsStore'>): ResultsStore {
  const { resultsStore, resultsDir } = config;
  if (resultsStore.kind === 'folder') return new FolderStore(resultsDir);
  return new S3Store(resultsStore, resultsDir);
}
