/**
 * Starts the embedded Temporal dev server (`temporal server start-dev`): SQLite in the git-ignored `.data/`, so
 * campaigns survive restarts, and the Web UI on port+1000. Used by the demo and the end-to-end tests; run it
 * alone with `npm run temporal:dev` to browse past campaigns in the Web UI.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { ensureServerBinary, temporalCli } from './temporal-servers';

export interface DevServerOptions {
  /** gRPC port; the Web UI listens on port + 1000. 0 picks free ports (tests). */
  port?: number;
  /** SQLite file; omit for an in-memory server (tests). */
  dbFile?: string;
  log?: (line: string) => void;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string;
  /** Whether we started it (false: one was already listening there and we reuse it). */
  owned: boolean;
  stop(): Promise<void>;
}

export const defaultDbFile = resolve(__dirname, '..', '.data', 'temporal-dev.sqlite');

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function canConnect(address: string): Promise<boolean> {
  try {
    const connection = await NativeConnection.connect({ address });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

async function waitUntilServing(address: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`temporal server start-dev exited (${child.exitCode}):\n${output()}`);
    if (await canConnect(address)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`temporal server start-dev did not answer on ${address} within 60 s:\n${output()}`);
}

export async function startDevServer(options: DevServerOptions = {}): Promise<RunningDevServer> {
  const log = options.log ?? (() => {});
  const port = options.port === 0 ? await freePort() : (options.port ?? 7233);
  const uiPort = options.port === 0 ? await freePort() : port + 1000;
  const address = `127.0.0.1:${port}`;
  const uiUrl = `http://localhost:${uiPort}`;
  if (options.port !== 0 && (await canConnect(address))) {
    log(`Reusing the Temporal server already listening on ${address}`);
    return { address, uiUrl, owned: false, stop: async () => {} };
  }
  const cli = await ensureServerBinary(temporalCli, log);
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
  ];
  args.push('--log-level', 'warn', '--log-format', 'pretty');
  if (options.dbFile) {
    await mkdir(join(options.dbFile, '..'), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  log(`Starting the Temporal dev server on ${address} (Web UI ${uiUrl})`);
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  await waitUntilServing(address, child, () => output);
  return {
    address,
    uiUrl,
    owned: true,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function main(): Promise<void> {
  const server = await startDevServer({ dbFile: defaultDbFile, log: (line) => console.log(line) });
  if (!server.owned) return;
  console.log(`Temporal dev server on ${server.address}, Web UI at ${server.uiUrl}. Ctrl-C stops it.`);
  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', resolveStop);
    process.once('SIGTERM', resolveStop);
  });
  await server.stop();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
