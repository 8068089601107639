import type { Readable } from 'node:stream';
import { loadConfig } from '../config';
import { FolderStore } from '../store/folder-store';
import { openResultsStore } from '../store/open-store';
import { parseS3Location } from '../store/s3-store';

/**
 * Reads a file a campaign's result names, wherever the workers kept it: a path on this host, or an object read
 * with this process's BOLNA_S3_* settings and AWS credentials (the bucket is the location's).
 */
export async function readStoredFile(
  location: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Readable> {
  const object = parseS3Location(location);
  const store = object
    ? openResultsStore(loadConfig({ ...env, BOLNA_RESULTS_STORE: `s3://${object.bucket}` }))
    : new FolderStore('.');
  return store.get(location);
}
