/**
 * Finds or installs, then starts, a real S3-compatible server for the object-store tests: moto's server (PyPI
 * `moto`, with the S3 extra and the Flask it serves with), in a virtual environment of its own in the git-ignored
 * `.cache/moto/`, never touching the user's Python. Pinned versions, so every machine and CI run the same server.
 * It listens on loopback only.
 *
 * Usage: `npm run s3:install` (scripts/object-store-server.ts) prints the environment's Python.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { isExecutable } from './is-executable';
import { waitFor } from './wait-for';

const run = promisify(execFile);

const cacheDir = resolve(__dirname, '..', '..', '.cache', 'moto');
const motoVersion = '5.2.5';
/** `moto[server]` would pull every AWS service's dependencies (300 MB); S3 needs these. */
const requirements = [`moto[s3]==${motoVersion}`, 'flask==3.1.3', 'flask-cors==6.0.5'];

async function runs(python: string): Promise<boolean> {
  if (!(await isExecutable(python))) return false;
  return run(python, ['-c', 'import moto.server']).then(
    () => true,
    () => false,
  );
}

/** The Python of a virtual environment that has moto's server, installed into the cache on first use. */
export async function ensureMotoServer(log: (line: string) => void = () => {}): Promise<string> {
  const environment = join(cacheDir, `moto-${motoVersion}`);
  const python = join(environment, 'bin', 'python');
  if (await runs(python)) return python;

  log(`Installing moto ${motoVersion} (an S3-compatible server) from PyPI into ${cacheDir} ...`);
  await mkdir(cacheDir, { recursive: true });
  // Each install works in its own scratch folder and renames into place, so concurrent installs cannot collide.
  const scratch = await mkdtemp(join(cacheDir, 'install-'));
  try {
    await run('python3', ['-m', 'venv', scratch]);
    await run(join(scratch, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', ...requirements], {
      maxBuffer: 16 * 1024 * 1024,
    });
    await rename(scratch, environment).catch(async (error: unknown) => {
      // Another process finished first; its copy is as good as ours.
      if (!(await runs(python))) throw error;
    });
    if (!(await runs(python))) throw new Error(`moto's server does not start from ${environment}`);
    log(`Installed moto into ${environment}`);
    return python;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export interface RunningObjectStore {
  /** `http://127.0.0.1:<port>`: BOLNA_S3_ENDPOINT. */
  endpoint: string;
  /** Stops the server; what it stored is gone. */
  stop(): Promise<void>;
}

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  await new Promise((closed) => server.close(closed));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts moto's server on a free loopback port; it keeps everything in memory. */
export async function startObjectStoreServer(): Promise<RunningObjectStore> {
  const python = await ensureMotoServer();
  // The free port may be taken before moto binds it (other test files start servers at the same time): choose again.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startMotoOn(python, await freeLoopbackPort());
    } catch (error) {
      if (attempt >= 5 || !(error instanceof Error) || !/Address already in use/i.test(error.message))
        throw error;
    }
  }
}

async function startMotoOn(python: string, port: number): Promise<RunningObjectStore> {
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-16 * 1024);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    // Ends at once when moto exits (a port taken, say), rather than waiting out the timeout.
    const outcome = await waitFor(
      `moto's server on ${endpoint}`,
      async () => (child.exitCode !== null ? 'exited' : (await fetch(`${endpoint}/`)).ok && 'serving'),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    if (outcome === 'exited') throw new Error(`moto's server exited:\n${output}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
}

/** Credentials for moto (it takes any): distinctive, so a test can look for them where they must never be. */
export const objectStoreCredentials = {
  AWS_ACCESS_KEY_ID: 'moto-test-access-key-id',
  AWS_SECRET_ACCESS_KEY: 'moto-test-secret-access-key',
};

/** A client of the test server with the test credentials, for tests to look at the bucket themselves. */
export function objectStoreClient(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: objectStoreCredentials.AWS_ACCESS_KEY_ID,
      secretAccessKey: objectStoreCredentials.AWS_SECRET_ACCESS_KEY,
    },
  });
}

/** The environment of a worker keeping its files in `store` (`s3://bucket/prefix`) on the test server. */
export function objectStoreEnv(endpoint: string, store: string): Record<string, string> {
  return {
    ...objectStoreCredentials,
    BOLNA_RESULTS_STORE: store,
    BOLNA_S3_ENDPOINT: endpoint,
    BOLNA_S3_REGION: 'us-east-1',
    BOLNA_S3_FORCE_PATH_STYLE: 'true',
    BOLNA_S3_SSE: 'AES256',
  };
}
