import type { Readable } from 'node:stream';
import { safeFileName } from '../workflows/campaign-key';

/**
 * Where a campaign's files are kept: the clean contact list (so that whichever worker creates the batch can upload
 * it), the per-call results and the report. A local folder by default; an S3-compatible bucket when workers run on
 * several hosts that share no folder. Files are written on the worker's own disk first (staged), then kept.
 *
 * A location is what the store hands back for a kept file, and what the campaign's result names: a path for the
 * folder store, `s3://bucket/key` for object storage.
 */
export interface ResultsStore {
  /** For the worker's start-up line: the folder, or `s3://bucket/prefix` and its encryption. */
  readonly description: string;
  /** A local folder to write one campaign's files in before they are kept. */
  stage(campaignKey: string): Promise<StagingFolder>;
  /** Stores `body` under `key` (see `objectKey`); resolves to its location. */
  put(key: string, body: Readable): Promise<string>;
  /** Reads the file at a location this store (or one on the same bucket) handed back. */
  get(location: string): Promise<Readable>;
  exists(location: string): Promise<boolean>;
  /** Whether `location` is one this store could have handed back (inside its folder, or its bucket and prefix). */
  owns(location: string): boolean;
  /** The file at a location as a path on this host, for readers that need one (the batch upload). */
  localFile(location: string): Promise<LocalFile>;
}

export interface StagingFolder {
  /** Owner-only, on this host. */
  readonly folder: string;
  /** Keeps the file `name` written in the folder; resolves to its location. */
  keep(name: string): Promise<string>;
  /** Removes whatever the folder still holds, when the store keeps files elsewhere. */
  release(): Promise<void>;
}

export interface LocalFile {
  readonly path: string;
  /** Removes the copy, if one had to be made. */
  release(): Promise<void>;
}

/** The key of one of a campaign's files: `<campaign key>/<name>`, the key made safe as one path segment. */
export function objectKey(campaignKey: string, name: string): string {
  return `${safeFileName(campaignKey)}/${name}`;
}
