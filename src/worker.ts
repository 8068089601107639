#!/usr/bin/env node
import { delimiter } from 'node:path';
import { Client } from '@temporalio/client';
import type { DataConverter, Duration } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Logger } from '@temporalio/worker';
import { createActivities } from './activities';
import type { ActivityDeps } from './activities';
import { runningActivitySignal } from './activities/activity-cancellation';
import { BolnaClient } from './bolna/client';
import { loadPayloadKeys } from './codec/config';
import { campaignDataConverter } from './codec/data-converter';
import { defaultWorkerTuning, loadConfig, requireApiKey, workerSecrets } from './config';
import type { Config, WorkerTuning } from './config';
import { systemClock } from './platform/clock';
import { streamLogger } from './platform/log-format';
import { redactingLogger } from './platform/logging';
import { Redactor } from './platform/redaction';
import { openResultsStore } from './store/open-store';
import { bolnaQueueRates, defaultBolnaRequestsPerMinute } from './temporal/bolna-budget';
import { bolnaRequestRecorder, runningCampaignsGauge, runningCampaignsRefreshMs } from './temporal/metrics';
import { countRunningCampaigns } from './temporal/running-campaigns';
import { missingSearchAttributes, searchAttributesPolicy } from './temporal/search-attributes';
import type { SearchAttributesMode } from './temporal/search-attributes';
import { WorkerGroup } from './temporal/worker-group';
import { prebuiltWorkflowBundle } from './temporal/workflow-bundle';
import { bolnaTaskQueues } from './workflows/definitions';

export interface CampaignWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  activities: ActivityDeps;
  /**
   * A prebuilt workflow bundle (tests build one per file; `npm run worker` reads one with BOLNA_WORKFLOW_BUNDLE); by
   * default the workflows are bundled at start. With a `dataConverter`, the bundle must carry the data converter's
   * failure converter (src/temporal/workflow-bundle.ts builds one that does).
   */
  workflowBundle?: { code: string } | { codePath: string };
  /** From `campaignDataConverter()`: payload encryption, when configured. Default: Temporal's plain JSON. */
  dataConverter?: DataConverter;
  /** How long running activities may finish after a shutdown starts before they are cancelled; default none. */
  shutdownGraceTime?: Duration;
  /**
   * Bolna requests per minute that every worker on `taskQueue` shares (`BOLNA_RATE_LIMIT_PER_MINUTE`); all
   * workers of a task queue must be given the same. Default 900.
   */
  bolnaRequestsPerMinute?: number;
  /** Any of the capacity settings; the rest are `defaultWorkerTuning`. */
  tuning?: Partial<WorkerTuning>;
}

/**
 * `npm run worker`'s grace on SIGTERM (a deploy): its running activities get this long to finish before they are
 * cancelled, and a cancelled one is retried at once by another worker. Below the compose file's
 * `stop_grace_period`, so Docker's SIGKILL never cuts a shutdown short.
 */
const deployShutdownGraceTime = '10 seconds';

/**
 * The workers for `batchCampaign`, shared by `npm run worker`, the demo and the tests: one for the campaigns and
 * their other steps on `taskQueue`, and one for each queue of Bolna requests (`bolnaTaskQueues`), rate-limited by
 * the server for all workers at once (src/temporal/bolna-budget.ts). The campaign's worker keeps every activity too, for
 * the steps campaigns scheduled there before their Bolna requests moved to queues of their own.
 */
export async function createCampaignWorker(options: CampaignWorkerOptions): Promise<WorkerGroup> {
  const activities = createActivities(options.activities);
  const { checkBolnaAccess, createBatch, scheduleBatch, stopBatch, collectResults, measureWave, getBatch } =
    activities;
  const queues = bolnaTaskQueues(options.taskQueue);
  const rates = bolnaQueueRates(options.bolnaRequestsPerMinute ?? defaultBolnaRequestsPerMinute);
  const shared = {
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    ...(options.shutdownGraceTime ? { shutdownGraceTime: options.shutdownGraceTime } : {}),
  };
  const {
    maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions,
    maxConcurrentWorkflowTaskPolls,
    ...activityCapacity
  } = { ...defaultWorkerTuning, ...options.tuning };
  return new WorkerGroup([
    await Worker.create({
      ...shared,
      ...activityCapacity,
      taskQueue: options.taskQueue,
      ...(options.workflowBundle
        ? { workflowBundle: options.workflowBundle }
        : { workflowsPath: require.resolve('./workflows') }),
      activities,
      maxCachedWorkflows,
      maxConcurrentWorkflowTaskExecutions,
      maxConcurrentWorkflowTaskPolls,
    }),
    // Each queue of Bolna requests gets the same activity capacity: its rate limit, not its slots, paces it.
    await Worker.create({
      ...shared,
      ...activityCapacity,
      taskQueue: queues.calls,
      activities: { checkBolnaAccess, createBatch, scheduleBatch, stopBatch, collectResults, measureWave },
      maxTaskQueueActivitiesPerSecond: rates.callsPerSecond,
    }),
    await Worker.create({
      ...shared,
      ...activityCapacity,
      taskQueue: queues.polls,
      activities: { getBatch },
      maxTaskQueueActivitiesPerSecond: rates.pollsPerSecond,
    }),
  ]);
}

/**
 * `npm run worker`: connects with the standard TEMPORAL_* variables (or a temporal.toml profile) and runs until
 * SIGINT/SIGTERM, finishing in-flight tasks first. The Bolna key stays in this process: it is never part of a
 * workflow's input or history.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const apiKey = requireApiKey(config);
  const redactor = new Redactor(workerSecrets());
  // Every log line of the worker, the SDK's and its core's included, goes out without the worker's secrets, as
  // JSON lines unless stdout is a terminal.
  const logger = redactingLogger(streamLogger('INFO', process.stdout), redactor);
  installRuntime(config, logger);
  const meter = Runtime.instance().metricMeter;
  const payloadKeys = loadPayloadKeys();
  const dataConverter = campaignDataConverter(payloadKeys);
  const workflowBundle =
    config.workflowBundleDir === undefined
      ? undefined
      : prebuiltWorkflowBundle(config.workflowBundleDir, dataConverter !== undefined);
  const { connectionOptions, namespace = 'default' } = loadClientConnectConfig();
  const connection = await NativeConnection.connect(connectionOptions).catch((error: unknown) => {
    const address = connectionOptions.address ?? 'localhost:7233';
    throw new Error(`Cannot reach Temporal at ${address} (set TEMPORAL_ADDRESS?): ${String(error)}`);
  });
  const resultsStore = openResultsStore(config);
  try {
    await warnOfMissingSearchAttributes(connection, namespace, config.searchAttributes, logger);
    const worker = await createCampaignWorker({
      connection,
      namespace,
      taskQueue: config.taskQueue,
      activities: {
        bolna: new BolnaClient({
          apiKey,
          baseUrl: config.bolna.baseUrl,
          onRequest: bolnaRequestRecorder(meter),
          abortSignal: runningActivitySignal,
        }),
        clock: systemClock,
        resultsStore,
        rules: config.bolna.rules,
        redactor,
        csvSources: config.csvSources,
        webhooks: config.webhooks,
        searchAttributes: searchAttributesPolicy(connection, namespace, config.searchAttributes),
      },
      ...(dataConverter ? { dataConverter } : {}),
      ...(workflowBundle ? { workflowBundle } : {}),
      shutdownGraceTime: deployShutdownGraceTime,
      bolnaRequestsPerMinute: config.bolna.requestsPerMinute,
      tuning: config.workerTuning,
    });
    const runningCampaigns =
      config.metricsAddress === undefined
        ? undefined
        : countRunningCampaigns({
            client: new Client({ connection, namespace }),
            taskQueue: config.taskQueue,
            report: runningCampaignsGauge(meter, { namespace, taskQueue: config.taskQueue }),
            logger,
            intervalMs: runningCampaignsRefreshMs,
          });
    logger.info(`Worker polling task queue '${config.taskQueue}'`, {
      namespace,
      taskQueue: config.taskQueue,
      bolnaBaseUrl: config.bolna.baseUrl,
      bolnaRequestsPerMinute: config.bolna.requestsPerMinute,
      csvDirs: config.csvSources.allowedDirs.join(delimiter),
      results: resultsStore.description,
      payloads: payloadKeys ? `encrypted with key ID ${payloadKeys.current.id}` : 'not encrypted',
      metrics: config.metricsAddress === undefined ? 'off' : `http://${config.metricsAddress}/metrics`,
      workflows: workflowBundle ? workflowBundle.codePath : 'bundled at start',
      webhooks: config.webhooks ? `pushed to ${config.webhooks.baseUrl}` : 'off (campaigns poll)',
    });
    try {
      await worker.run();
    } finally {
      runningCampaigns?.stop();
    }
  } finally {
    await connection.close();
  }
}

/**
 * Says at start-up, by name, which search attributes the namespace lacks and how to add them; campaigns run either
 * way, without the missing ones.
 */
async function warnOfMissingSearchAttributes(
  connection: NativeConnection,
  namespace: string,
  mode: SearchAttributesMode,
  logger: Logger,
): Promise<void> {
  if (mode !== 'auto') return;
  const missing = await missingSearchAttributes(connection, namespace).catch((error: unknown) => {
    logger.warn(
      `Could not list the search attributes of namespace '${namespace}' (${String(error)}): campaigns will set none. ` +
        'On Temporal Cloud, register them in the namespace and set BOLNA_SEARCH_ATTRIBUTES=on.',
    );
    return [];
  });
  if (missing.length > 0) {
    logger.warn(
      `Namespace '${namespace}' lacks the search attributes ${missing.join(', ')}: campaigns run without them, ` +
        'and cannot be found by them. Register them with `npm run register-search-attributes`.',
    );
  }
}

/**
 * The Temporal runtime of `npm run worker`: its logs (the core's forwarded too) through `logger`, and with
 * `BOLNA_METRICS_ADDRESS` a Prometheus endpoint serving the runtime's metrics and ours (src/temporal/metrics.ts).
 */
function installRuntime(config: Config, logger: Logger): void {
  const { metricsAddress } = config;
  try {
    Runtime.install({
      logger,
      telemetryOptions: {
        logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } },
        ...(metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress } } } : {}),
      },
    });
  } catch (error) {
    if (!metricsAddress) throw error;
    throw new Error(`Cannot serve metrics on BOLNA_METRICS_ADDRESS=${metricsAddress}: ${String(error)}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
