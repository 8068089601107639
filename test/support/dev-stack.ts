import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { startSimulator } from '../../simulator/server';
import type { RunningSimulator, SimulatorOptions } from '../../simulator/server';
import type { ActivityDeps } from '../../src/activities';
import type { ScheduleRules } from '../../src/bolna/schedule-time';
import { fastRules, testApiKey } from './constants';
import { startDevServer } from './dev-server';
import type { RunningDevServer } from './dev-server';
import { runSimulatorWorker } from './simulator-worker';
import type { RunningWorker } from './simulator-worker';
import { ensureServerBinary, temporalCli } from './temporal-servers';
import { workerEnv } from './worker-process';
import { runWorkflowBundle } from './workflow-bundle';

const run = promisify(execFile);

/**
 * What the end-to-end tests and the soak run on: the real Temporal dev server on free ports, the Bolna simulator on
 * loopback, a client, and a work folder of their own, all taken down (in reverse order) by `close()`.
 */
export interface DevStack {
  server: RunningDevServer;
  simulator: RunningSimulator;
  connection: Connection;
  /** A client without payload encryption. */
  client: Client;
  /** A fresh folder under the system's temporary folder, removed by `close()`. */
  workDir: string;
  /** The real `temporal` CLI, pointed at this server. */
  temporal(...args: string[]): Promise<{ stdout: string; stderr: string }>;
  /**
   * A simulator-backed worker in this process, on the stack's rules, writing results under the work folder; it
   * runs until `stop()` or `close()`.
   */
  runWorker(options: {
    taskQueue: string;
    dataConverter?: DataConverter;
    webhooks?: ActivityDeps['webhooks'];
  }): Promise<RunningWorker>;
  /** The environment of a `npm run worker` process (see `spawnWorker`) on this stack and `taskQueue`. */
  workerEnv(taskQueue: string, resultsDir: string): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export interface DevStackOptions {
  /** Names the work folder (`<name>-XXXXXX`). */
  name: string;
  /** The simulator's calls, faults, seed...; its key is the test key. */
  simulator?: Omit<SimulatorOptions, 'apiKey' | 'rules'>;
  /** Bolna's rules for the simulator and the workers alike; default `fastRules` (a campaign takes seconds). */
  rules?: ScheduleRules;
  /**
   * Keep the server's state in a SQLite file in the work folder, so that it can be stopped (or killed) and started
   * again with every workflow where it was; otherwise it is in memory.
   */
  persistent?: boolean;
  /** A codec server for the Web UI (`--ui-codec-endpoint`). */
  uiCodecEndpoint?: string;
  /** The server's dynamic config values (see `DevServerOptions`). */
  dynamicConfig?: Readonly<Record<string, number | string | boolean>>;
  /** Register the campaign's search attributes (default true, as the dev server of the demo does). */
  searchAttributes?: boolean;
  log?: (line: string) => void;
}

export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  const rules = options.rules ?? fastRules;
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const workDir = await mkdtemp(join(tmpdir(), `${options.name}-`));
    cleanups.push(() => rm(workDir, { recursive: true, force: true }));
    const server = await startDevServer({
      port: 0,
      ...(options.persistent ? { dbFile: join(workDir, 'temporal.sqlite') } : {}),
      ...(options.uiCodecEndpoint ? { uiCodecEndpoint: options.uiCodecEndpoint } : {}),
      ...(options.dynamicConfig ? { dynamicConfig: options.dynamicConfig } : {}),
      ...(options.searchAttributes === false ? { searchAttributes: false } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    // Killed, not shut down: its state goes with the work folder anyway, and a clean shutdown takes ~2 s a stack.
    cleanups.push(() => server.stop({ signal: 'SIGKILL' }));
    const simulator = await startSimulator({ ...options.simulator, apiKey: testApiKey, rules });
    cleanups.push(() => simulator.close());
    const connection = await Connection.connect({ address: server.address });
    cleanups.push(() => connection.close());
    const cli = await ensureServerBinary(temporalCli, options.log);
    return {
      server,
      simulator,
      connection,
      client: new Client({ connection }),
      workDir,
      temporal: (...args) =>
        run(cli, [...args, '--address', server.address], { maxBuffer: 64 * 1024 * 1024 }),
      runWorker: async ({ taskQueue, dataConverter, webhooks }) => {
        // Without a data converter, the jest run's bundle (see workflow-bundle.ts); else one bundled at start.
        const workflowBundle = dataConverter ? undefined : runWorkflowBundle();
        const worker = await runSimulatorWorker(server.address, {
          bolnaUrl: simulator.url,
          taskQueue,
          resultsDir: join(workDir, 'results'),
          rules,
          ...(dataConverter ? { dataConverter } : {}),
          ...(workflowBundle ? { workflowBundle } : {}),
          ...(webhooks ? { webhooks } : {}),
        });
        cleanups.push(() => worker.stop());
        return worker;
      },
      workerEnv: (taskQueue, resultsDir) =>
        workerEnv({
          apiKey: testApiKey,
          bolnaBaseUrl: simulator.url,
          temporalAddress: server.address,
          taskQueue,
          resultsDir,
          rules,
        }),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
