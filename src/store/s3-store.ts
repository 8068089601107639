import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, NotFound, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ownerOnly, ownerOnlyDirectory } from '../platform/file-modes';
import { safeFileName } from '../workflows/campaign-key';
import { objectKey } from './results-store';
import type { LocalFile, ResultsStore, StagingFolder } from './results-store';

/** How to reach the bucket; credentials are not here: they come from the AWS SDK's standard chain. */
export interface S3StoreSettings {
  bucket: string;
  /** What every key starts with (`campaigns/` or empty). */
  prefix: string;
  /** An S3-compatible server's URL; unset: AWS. */
  endpoint?: string;
  /** Unset: the SDK's own (AWS_REGION, the profile). */
  region?: string;
  /** `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key`, as most S3-compatible servers want. */
  forcePathStyle: boolean;
  /** Asked for on every object; unset: the bucket's default encryption. */
  serverSideEncryption?: 'AES256' | 'aws:kms';
  /** With `aws:kms`: the key; unset: the account's AWS-managed key. */
  kmsKeyId?: string;
}

const contentTypes: Record<string, string> = {
  '.csv': 'text/csv; charset=utf-8',
  '.jsonl': 'application/x-ndjson',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
};

/** `s3://bucket/key` → its parts; undefined for anything else (a local path). */
export function parseS3Location(location: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  return match?.[1] && match[2] ? { bucket: match[1], key: match[2] } : undefined;
}

/**
 * Campaign files in an S3-compatible bucket, for workers on hosts that share no folder. Objects get no ACL of
 * their own (so they are the bucket owner's alone, and a bucket that disables ACLs takes them) and the configured
 * server-side encryption. Files are staged in an owner-only folder under `scratchDir` (BOLNA_RESULTS_DIR),
 * uploaded (in parts, when large), and the local copies removed.
 */
export class S3Store implements ResultsStore {
  readonly #settings: S3StoreSettings;
  readonly #scratchDir: string;
  readonly #client: S3Client;

  constructor(settings: S3StoreSettings, scratchDir: string) {
    this.#settings = settings;
    this.#scratchDir = scratchDir;
    this.#client = new S3Client({
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.region ? { region: settings.region } : {}),
      forcePathStyle: settings.forcePathStyle,
      // One retry layer: Temporal's retries the activity.
      maxAttempts: 1,
      // A server that stops answering fails the attempt instead of holding it until its start-to-close timeout.
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
    });
  }

  get description(): string {
    const { serverSideEncryption, kmsKeyId } = this.#settings;
    const encryption = serverSideEncryption
      ? `server-side encryption ${serverSideEncryption}${kmsKeyId ? ` (key ${kmsKeyId})` : ''}`
      : "the bucket's default encryption";
    return `${this.#uri(this.#settings.prefix)} (${encryption})`;
  }

  async stage(campaignKey: string): Promise<StagingFolder> {
    const prefix = `.staging-${safeFileName(campaignKey)}-`;
    await mkdir(this.#scratchDir, { recursive: true, mode: ownerOnlyDirectory });
    // Folders of attempts killed mid-write hold personal data that nobody else would ever remove.
    const leftovers = (await readdir(this.#scratchDir)).filter((name) => name.startsWith(prefix));
    await Promise.all(
      leftovers.map((name) => rm(join(this.#scratchDir, name), { recursive: true, force: true })),
    );
    const folder = await mkdtemp(join(this.#scratchDir, prefix));
    return {
      folder,
      keep: async (name) => {
        const file = await open(join(folder, name), 'r');
        return this.put(objectKey(campaignKey, name), file.createReadStream());
      },
      release: () => rm(folder, { recursive: true, force: true }),
    };
  }

  async put(key: string, body: Readable): Promise<string> {
    const { bucket, prefix, serverSideEncryption, kmsKeyId } = this.#settings;
    const fullKey = `${prefix}${key}`;
    const contentType = contentTypes[extname(key)];
    await new Upload({
      client: this.#client,
      params: {
        Bucket: bucket,
        Key: fullKey,
        Body: body,
        ...(contentType ? { ContentType: contentType } : {}),
        ...(serverSideEncryption ? { ServerSideEncryption: serverSideEncryption } : {}),
        ...(kmsKeyId ? { SSEKMSKeyId: kmsKeyId } : {}),
      },
    }).done();
    return this.#uri(fullKey);
  }

  async get(location: string): Promise<Readable> {
    const response = await this.#client.send(new GetObjectCommand(this.#parse(location)));
    if (!(response.Body instanceof Readable)) throw new Error(`${location} came back without a body`);
    return response.Body;
  }

  async exists(location: string): Promise<boolean> {
    try {
      await this.#client.send(new HeadObjectCommand(this.#parse(location)));
      return true;
    } catch (error) {
      if (error instanceof NotFound) return false;
      throw error;
    }
  }

  /** An object is downloaded into an owner-only folder of its own; a local path (kept before the store was S3) is used as is. */
  owns(location: string): boolean {
    const parsed = parseS3Location(location);
    return parsed?.bucket === this.#settings.bucket && parsed.key.startsWith(this.#settings.prefix);
  }

  async localFile(location: string): Promise<LocalFile> {
    if (parseS3Location(location) === undefined) {
      return { path: location, release: () => Promise.resolve() };
    }
    await mkdir(this.#scratchDir, { recursive: true, mode: ownerOnlyDirectory });
    const folder = await mkdtemp(join(this.#scratchDir, '.download-'));
    const release = () => rm(folder, { recursive: true, force: true });
    try {
      const path = join(folder, basename(location));
      await pipeline(await this.get(location), createWriteStream(path, { mode: ownerOnly }));
      return { path, release };
    } catch (error) {
      await release();
      throw error;
    }
  }

  /** Bucket and key of a location of this store: never another bucket's, nor outside the prefix. */
  #parse(location: string): { Bucket: string; Key: string } {
    const parsed = parseS3Location(location);
    const { bucket, prefix } = this.#settings;
    if (!parsed || parsed.bucket !== bucket || !parsed.key.startsWith(prefix)) {
      throw new Error(`${location} is not in the results store ${this.#uri(prefix)}`);
    }
    return { Bucket: parsed.bucket, Key: parsed.key };
  }

  #uri(key: string): string {
    return `s3://${this.#settings.bucket}/${key}`;
  }
}
