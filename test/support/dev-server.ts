/**
 * Starts the embedded Temporal dev server (`temporal server start-dev`): SQLite in the git-ignored `.data/`, so
 * campaigns survive restarts, and the Web UI on port+1000. Used by the demo and the end-to-end tests; run it
 * alone with `npm run temporal:dev` to browse past campaigns in the Web UI. A server started with a `dbFile` can be
 * stopped (cleanly or with SIGKILL) and started again on the same port and file: the crash tests do exactly that.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { campaignSearchAttributeNames } from '../../src/workflows/search-attributes';
import { ensureServerBinary, temporalCli } from './temporal-servers';

export interface DevServerOptions {
  /** gRPC port; the Web UI listens on port + 1000. 0 picks free ports (tests). */
  port?: number;
  /** SQLite file; omit for an in-memory server (tests). */
  dbFile?: string;
  /** A codec server the Web UI decodes payloads through (`--ui-codec-endpoint`), when payloads are encrypted. */
  uiCodecEndpoint?: string;
  /** Dynamic config values (`--dynamic-config-value key=value`), for a test that needs the server set a given way. */
  dynamicConfig?: Readonly<Record<string, number | string | boolean>>;
  /**
   * Register the campaign's search attributes (BolnaBatchId, …) as the server starts, as the embedded dev server of
   * the demo and `npm run temporal:dev` does. Default true; false is a cluster nobody has set up yet.
   */
  searchAttributes?: boolean;
  log?: (line: string) => void;
}

export interface StopOptions {
  /**
   * SIGTERM (default) shuts the server down cleanly; SIGKILL is a crash (power loss, OOM kill), for tests that
   * check what survives one.
   */
  signal?: 'SIGTERM' | 'SIGKILL';
}

export interface RunningDevServer {
  address: string;
  uiUrl: string;
  /** Whether we started it (false: one was already listening there and we reuse it). */
  owned: boolean;
  /** Stops the server; stopping one that is already stopped does nothing. */
  stop(options?: StopOptions): Promise<void>;
  /**
   * Starts a stopped server again on the same ports and SQLite file, so workers and clients reconnect to the same
   * address and every workflow is where it was. Only for a server we started with a `dbFile`: an in-memory one
   * would come back empty, which no caller wants.
   */
  start(): Promise<void>;
  /** `stop()` then `start()`. */
  restart(options?: StopOptions): Promise<void>;
}

export const defaultDbFile = resolve(__dirname, '..', '..', '.data', 'temporal-dev.sqlite');

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

/**
 * A port we chose free was taken before the server bound it: by another test file's server (several run at once),
 * or by the ports `start-dev` picks for its own services. Choosing again is the fix.
 */
const portTaken = /bind: address already in use/;
const launchAttempts = 5;

export async function startDevServer(options: DevServerOptions = {}): Promise<RunningDevServer> {
  const log = options.log ?? (() => {});
  const freePorts = options.port === 0;
  let port = freePorts ? await freePort() : (options.port ?? 7233);
  let uiPort = freePorts ? await freePort() : port + 1000;
  const address = () => `127.0.0.1:${port}`;
  const uiUrl = () => `http://localhost:${uiPort}`;
  if (!freePorts && (await canConnect(address()))) {
    log(`Reusing the Temporal server already listening on ${address()}`);
    const notOurs = () =>
      Promise.reject(new Error(`The Temporal server on ${address()} is not ours to restart`));
    return {
      address: address(),
      uiUrl: uiUrl(),
      owned: false,
      stop: async () => {},
      start: notOurs,
      restart: notOurs,
    };
  }
  const cli = await ensureServerBinary(temporalCli, log);
  const args = () => {
    const list = [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--ui-port',
      String(uiPort),
    ];
    list.push('--log-level', 'warn', '--log-format', 'pretty');
    if (options.uiCodecEndpoint) list.push('--ui-codec-endpoint', options.uiCodecEndpoint);
    for (const [key, value] of Object.entries(options.dynamicConfig ?? {}))
      list.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
    if (options.searchAttributes !== false) {
      for (const name of campaignSearchAttributeNames) list.push('--search-attribute', `${name}=Keyword`);
    }
    if (options.dbFile) list.push('--db-filename', options.dbFile);
    return list;
  };
  if (options.dbFile) await mkdir(join(options.dbFile, '..'), { recursive: true });

  let child: ChildProcess | undefined;
  const launch = async () => {
    log(`Starting the Temporal dev server on ${address()} (Web UI ${uiUrl()})`);
    const launched = spawn(cli, args(), { stdio: ['ignore', 'pipe', 'pipe'] });
    child = launched;
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
    launched.stdout?.on('data', keep);
    launched.stderr?.on('data', keep);
    await waitUntilServing(address(), launched, () => output);
  };
  const stop = async ({ signal = 'SIGTERM' }: StopOptions = {}) => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill(signal);
    const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const start = async () => {
    if (!options.dbFile) throw new Error('Only a dev server with a dbFile can be started again');
    if (child && child.exitCode === null && child.signalCode === null) return;
    await launch();
  };

  for (let attempt = 1; ; attempt += 1) {
    try {
      await launch();
      break;
    } catch (error) {
      const retry =
        freePorts && attempt < launchAttempts && error instanceof Error && portTaken.test(error.message);
      if (!retry) throw error;
      log(`A port was taken before the dev server bound it; choosing others (attempt ${attempt + 1})`);
      port = await freePort();
      uiPort = await freePort();
    }
  }
  return {
    address: address(),
    uiUrl: uiUrl(),
    owned: true,
    stop,
    start,
    restart: async (stopOptions) => {
      await stop(stopOptions);
      await start();
    },
  };
}
