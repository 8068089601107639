import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Logger } from '@temporalio/worker';
import { startSimulator } from '../../simulator/server';
import type { RunningSimulator, SimulatorOptions } from '../../simulator/server';
import type { CsvSourcePolicy } from '../../src/activities/csv-source';
import type { ScheduleRules } from '../../src/bolna/schedule-time';
import type { Clock } from '../../src/platform/clock';
import type { WorkerGroup } from '../../src/temporal/worker-group';
import { testApiKey } from './constants';
import { installQuietRuntime } from './quiet-runtime';
import { createSimulatorWorker } from './simulator-worker';
import { ensureServerBinary, temporalTestServer } from './temporal-servers';
import { sharedWorkflowBundle } from './workflow-bundle';

/**
 * A time-skipping Temporal test server, a Bolna simulator on loopback whose clock *is* the test server's clock
 * (so skipping time moves Bolna's batches along too), and workers built from one workflow bundle.
 */
export interface WorkflowHarness {
  env: TestWorkflowEnvironment;
  simulator: RunningSimulator;
  resultsDir: string;
  apiKey: string;
  clock: Clock;
  /** A worker on `taskQueue` (default `test-campaigns`), for the test to run (e.g. `worker.runUntil`). */
  newWorker(options?: HarnessWorkerOptions): Promise<WorkerGroup>;
  /** A worker that runs from now until `close()`, for files whose tests share their workers. */
  runWorker(options?: HarnessWorkerOptions): Promise<WorkerGroup>;
  writeCsv(name: string, content: string | Uint8Array): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessWorkerOptions {
  taskQueue?: string;
  rules?: ScheduleRules;
  apiKey?: string;
  csvSources?: CsvSourcePolicy;
}

export async function startWorkflowHarness(
  simulatorOptions: SimulatorOptions = {},
  /** Where the workers' (and the SDK core's) logs go; by default errors only, to the console. */
  logger?: Logger,
): Promise<WorkflowHarness> {
  // Expected failures (bad CSV, wrong key) would otherwise fill the test output with worker logs.
  installQuietRuntime(logger);
  const env = await startTimeSkippingServer();
  const clock: Clock = { now: () => env.currentTimeMs() };
  const simulator = await startSimulator({ apiKey: testApiKey, clock, ...simulatorOptions });
  const resultsDir = await mkdtemp(join(tmpdir(), 'campaign-results-'));
  const workflowBundle = await sharedWorkflowBundle();
  const newWorker = (options: HarnessWorkerOptions = {}) =>
    createSimulatorWorker({
      connection: env.nativeConnection,
      bolnaUrl: simulator.url,
      taskQueue: options.taskQueue ?? 'test-campaigns',
      workflowBundle,
      resultsDir,
      clock,
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      ...(options.rules ? { rules: options.rules } : {}),
      ...(options.csvSources ? { csvSources: options.csvSources } : {}),
    });
  const running: { worker: WorkerGroup; run: Promise<void> }[] = [];
  return {
    env,
    simulator,
    resultsDir,
    apiKey: testApiKey,
    clock,
    newWorker,
    runWorker: async (options) => {
      const worker = await newWorker(options);
      running.push({ worker, run: worker.run() });
      return worker;
    },
    writeCsv: async (name, content) => {
      const path = join(resultsDir, name);
      await writeFile(path, content);
      return path;
    },
    close: async () => {
      for (const { worker } of running) worker.shutdown();
      await Promise.all(running.map(({ run }) => run));
      await simulator.close();
      await env.teardown();
      await rm(resultsDir, { recursive: true, force: true });
    },
  };
}

/** The time-skipping test server, found or installed as `npm run temporal:install` does (jest's globalSetup too). */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const path = await ensureServerBinary(temporalTestServer);
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
  });
}
