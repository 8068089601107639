import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import {
  CreateBucketCommand,
  GetObjectAclCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { readStoredFile } from '../../src/cli/stored-file';
import { S3Store } from '../../src/store/s3-store';
import type { S3StoreSettings } from '../../src/store/s3-store';
import {
  objectStoreClient,
  objectStoreCredentials,
  objectStoreEnv,
  startObjectStoreServer,
} from '../support/object-store-server';
import type { RunningObjectStore } from '../support/object-store-server';

/** The S3 store against a real S3-compatible server (moto's, on loopback): what it asks for is what is stored. */

const bucket = 'campaign-files';
let server: RunningObjectStore;
let s3: S3Client;
let scratchDir: string;

beforeAll(async () => {
  server = await startObjectStoreServer();
  // The store takes its credentials from the AWS SDK's standard chain, here the environment.
  Object.assign(process.env, objectStoreCredentials);
  s3 = objectStoreClient(server.endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
}, 120_000);
afterAll(async () => {
  s3?.destroy();
  await server?.stop();
});
beforeEach(async () => {
  scratchDir = await mkdtemp(join(tmpdir(), 's3-store-'));
});
afterEach(() => rm(scratchDir, { recursive: true, force: true }));

function store(settings: Partial<S3StoreSettings> = {}): S3Store {
  return new S3Store(
    {
      bucket,
      prefix: 'team-a/',
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      ...settings,
    },
    scratchDir,
  );
}

const keyOf = (location: string) => location.replace(`s3://${bucket}/`, '');

test('put, get and exists round-trip an object under the prefix, named by an s3:// location', async () => {
  const files = store();
  const location = await files.put(
    'campaign-x/executions.jsonl',
    Readable.from(['{"id":1}\n', '{"id":2}\n']),
  );
  expect(location).toBe(`s3://${bucket}/team-a/campaign-x/executions.jsonl`);
  expect(await text(await files.get(location))).toBe('{"id":1}\n{"id":2}\n');
  expect(await files.exists(location)).toBe(true);
  expect(await files.exists(`s3://${bucket}/team-a/campaign-x/nothing.csv`)).toBe(false);
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(location) }));
  expect(head.ContentType).toBe('application/x-ndjson');
});

test('a location outside its bucket or prefix is refused, not read', async () => {
  const files = store();
  await expect(files.get('s3://another-bucket/team-a/x.csv')).rejects.toThrow(/not in the results store/);
  await expect(files.get(`s3://${bucket}/team-b/x.csv`)).rejects.toThrow(/not in the results store/);
});

test('objects are private: no ACL of their own, so only the owner is granted anything', async () => {
  const location = await store().put('campaign-x/report.html', Readable.from(['<html></html>']));
  const acl = await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: keyOf(location) }));
  const grants = acl.Grants ?? [];
  expect(grants.map((grant) => grant.Permission)).toEqual(['FULL_CONTROL']);
  expect(grants[0]?.Grantee?.ID).toBe(acl.Owner?.ID);
  expect(grants.some((grant) => grant.Grantee?.URI !== undefined)).toBe(false); // no AllUsers, AuthenticatedUsers
});

test('server-side encryption is asked for on every object: AES256, or aws:kms with its key', async () => {
  const aes = await store({ serverSideEncryption: 'AES256' }).put('c/a.csv', Readable.from(['a\n']));
  const aesHead = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(aes) }));
  expect(aesHead.ServerSideEncryption).toBe('AES256');

  const kms = store({ serverSideEncryption: 'aws:kms', kmsKeyId: 'alias/campaign-files' });
  const kmsLocation = await kms.put('c/b.csv', Readable.from(['b\n']));
  const kmsHead = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(kmsLocation) }));
  expect(kmsHead.ServerSideEncryption).toBe('aws:kms');
  expect(kmsHead.SSEKMSKeyId).toContain('alias/campaign-files');
  expect(kms.description).toBe(
    `s3://${bucket}/team-a/ (server-side encryption aws:kms (key alias/campaign-files))`,
  );

  const plain = await store().put('c/c.csv', Readable.from(['c\n']));
  const plainHead = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(plain) }));
  expect(plainHead.ServerSideEncryption).toBeUndefined();
});

test('a large file is uploaded whole, in parts', async () => {
  // Over lib-storage's 5 MB part size: a multipart upload.
  const line = `${'x'.repeat(1023)}\n`;
  const lines = 6 * 1024;
  const location = await store().put('c/big.jsonl', Readable.from(Array.from({ length: lines }, () => line)));
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(location) }));
  expect(head.ContentLength).toBe(lines * 1024);
  expect(head.ETag).toMatch(/-2"$/); // a multipart upload's ETag counts its parts
});

test('staged files are kept in the bucket, and the owner-only staging folder is gone once released', async () => {
  const files = store();
  // What an attempt killed mid-write left behind for the same campaign: personal data nobody else would remove.
  const leftover = await mkdtemp(join(scratchDir, '.staging-campaign-x-'));
  await writeFile(join(leftover, 'executions.csv.partial'), 'personal data');

  const staging = await files.stage('campaign-x');
  expect(staging.folder.startsWith(scratchDir)).toBe(true);
  expect((await stat(staging.folder)).mode & 0o777).toBe(0o700);
  expect(await readdir(scratchDir)).toEqual([staging.folder.slice(scratchDir.length + 1)]);
  await writeFile(join(staging.folder, 'executions.csv'), 'execution_id\nx1\n');
  const location = await staging.keep('executions.csv');
  expect(location).toBe(`s3://${bucket}/team-a/campaign-x/executions.csv`);
  await staging.release();
  expect(await readdir(scratchDir)).toEqual([]);
  expect(await text(await files.get(location))).toBe('execution_id\nx1\n');
});

test('a kept object is downloaded as an owner-only local file, removed when released', async () => {
  const files = store();
  const location = await files.put(
    'campaign-x/contacts.csv',
    Readable.from(['contact_number\n+911234567890\n']),
  );
  const local = await files.localFile(location);
  expect(await readFile(local.path, 'utf8')).toBe('contact_number\n+911234567890\n');
  expect((await stat(local.path)).mode & 0o777).toBe(0o600);
  await local.release();
  expect(await readdir(scratchDir)).toEqual([]);
  // A path kept before the store was S3 (a campaign started earlier) is used as it is.
  expect((await files.localFile('/data/results/c/contacts.csv')).path).toBe('/data/results/c/contacts.csv');
});

test('the CLI and library read a kept file through the store the environment configures', async () => {
  const location = await store({ prefix: '' }).put('campaign-y/report.json', Readable.from(['{"calls":3}']));
  const env = { ...objectStoreEnv(server.endpoint, `s3://${bucket}`), BOLNA_RESULTS_DIR: scratchDir };
  expect(await text(await readStoredFile(location, env))).toBe('{"calls":3}');
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'campaign-y/' }));
  expect(listed.Contents?.map((object) => object.Key)).toEqual(['campaign-y/report.json']);
});
