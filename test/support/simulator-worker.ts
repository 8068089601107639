import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import type { ActivityDeps } from '../../src/activities';
import type { CsvSourcePolicy } from '../../src/activities/csv-source';
import type { ScheduleRules } from '../../src/bolna/schedule-time';
import { systemClock } from '../../src/platform/clock';
import type { Clock } from '../../src/platform/clock';
import { searchAttributesPolicy } from '../../src/temporal/search-attributes';
import type { WorkerGroup } from '../../src/temporal/worker-group';
import { createCampaignWorker } from '../../src/worker';
import { simulatorActivityDeps } from './activity-deps';

/** A campaign worker whose Bolna is the simulator: the one place tests and tools wire one up. */
export interface SimulatorWorkerOptions {
  connection: NativeConnection;
  /** The simulator's base URL. */
  bolnaUrl: string;
  taskQueue: string;
  resultsDir: string;
  /** Default: the key the test simulators accept. */
  apiKey?: string;
  /** Default: the system clock; time-skipping tests pass the test server's. */
  clock?: Clock;
  /** Default: Bolna's real rules. */
  rules?: ScheduleRules;
  /** Default: `testCsvSources` (the temporary folder and loopback). */
  csvSources?: CsvSourcePolicy;
  /** A prebuilt workflow bundle, shared by the workers of a test file or run (not with a `dataConverter`). */
  workflowBundle?: { code: string } | { codePath: string };
  /** Payload encryption (`campaignDataConverter`); default none, as `npm run worker` without a key. */
  dataConverter?: DataConverter;
  /** The webhook receiver's base URL and secret (BOLNA_WEBHOOK_*); default none: campaigns poll. */
  webhooks?: ActivityDeps['webhooks'];
}

export function createSimulatorWorker(options: SimulatorWorkerOptions): Promise<WorkerGroup> {
  return createCampaignWorker({
    connection: options.connection,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : {}),
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    activities: simulatorActivityDeps(
      {
        bolnaUrl: options.bolnaUrl,
        ...(options.apiKey ? { apiKey: options.apiKey } : {}),
        clock: options.clock ?? systemClock,
        resultsDir: options.resultsDir,
      },
      {
        // As `npm run worker` does: ask the namespace (the dev server has them; the test server has none).
        searchAttributes: searchAttributesPolicy(options.connection, 'default', 'auto'),
        ...(options.rules ? { rules: options.rules } : {}),
        ...(options.csvSources ? { csvSources: options.csvSources } : {}),
        ...(options.webhooks ? { webhooks: options.webhooks } : {}),
      },
    ),
  });
}

export interface RunningWorker {
  worker: WorkerGroup;
  /** Shuts the worker down (in-flight tasks finish) and closes its connection. */
  stop(): Promise<void>;
}

/** Connects to the Temporal server at `address` and runs a simulator-backed worker until `stop()`. */
export async function runSimulatorWorker(
  address: string,
  options: Omit<SimulatorWorkerOptions, 'connection'>,
): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address });
  const worker = await createSimulatorWorker({ ...options, connection });
  const running = worker.run();
  return {
    worker,
    stop: async () => {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
