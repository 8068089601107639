import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { DefaultLogger } from '@temporalio/worker';
import type { LogEntry } from '@temporalio/worker';
import { runningCampaignsRefreshMs } from '../../src/temporal/metrics';
import { countRunningCampaigns } from '../../src/temporal/running-campaigns';
import { bolnaTaskQueues } from '../../src/workflows/definitions';
import type { CampaignInput, CampaignProgress, CampaignResult } from '../../src/workflows/definitions';
import { testAgentId as agentId, testApiKey, threeContactsCsv } from '../support/constants';
import { startDevStack } from '../support/dev-stack';
import type { DevStack } from '../support/dev-stack';
import { parsePrometheusText, sumOf } from '../support/prometheus-text';
import type { Sample } from '../support/prometheus-text';
import { waitFor } from '../support/wait-for';
import { spawnWorker } from '../support/worker-process';
import type { WorkerProcess } from '../support/worker-process';

/**
 * `npm run worker` with BOLNA_METRICS_ADDRESS, on the dev server and the simulator: its Prometheus endpoint, fetched
 * over loopback during and after campaigns, shows the Temporal runtime's metrics and ours with the right values,
 * and its stdout (a pipe, not a terminal) is JSON lines that name the workflow and batch.
 */

const taskQueue = 'e2e-metrics';
const bolnaQueues = bolnaTaskQueues(taskQueue);

let stack: DevStack;
let worker: WorkerProcess;
let metricsUrl: string;
let csvPath: string;

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  stack = await startDevStack({
    name: 'metrics-e2e',
    simulator: { calls: { concurrency: 4, ringMs: 300, talkMs: 1_000, postProcessingMs: 500 } },
  });
  csvPath = join(stack.workDir, 'contacts.csv');
  await writeFile(csvPath, threeContactsCsv);
  worker = await workerWithMetrics();
}, 120_000);

/**
 * A worker serving metrics on a port that was free a moment ago. Another process may take that port between our
 * check and the worker's bind (the suite runs files in parallel): the worker then refuses to start, saying so, and
 * we try again on another port, as the dev server's start does.
 */
async function workerWithMetrics(attempts = 3): Promise<WorkerProcess> {
  for (let attempt = 1; ; attempt += 1) {
    const address = `127.0.0.1:${await freeLoopbackPort()}`;
    const started = spawnWorker('metrics', {
      ...stack.workerEnv(taskQueue, join(stack.workDir, 'results')),
      BOLNA_METRICS_ADDRESS: address,
    });
    try {
      await started.ready();
      metricsUrl = `http://${address}/metrics`;
      return started;
    } catch (error) {
      const portTaken = started.output().includes(`Cannot serve metrics on BOLNA_METRICS_ADDRESS=${address}`);
      if (!portTaken || attempt === attempts) throw error;
    }
  }
}

afterAll(async () => {
  await worker?.stop();
  await stack?.close();
});

async function scrape(): Promise<Sample[]> {
  const response = await fetch(metricsUrl);
  expect(response.status).toBe(200);
  return parsePrometheusText(await response.text());
}

async function waitForMetric(what: string, check: (samples: Sample[]) => boolean): Promise<Sample[]> {
  let samples: Sample[] = [];
  await waitFor(
    what,
    async () => {
      samples = await scrape();
      return check(samples);
    },
    { timeoutMs: 3 * runningCampaignsRefreshMs },
  );
  return samples;
}

const running = (samples: Sample[]) => sumOf(samples, 'bolna_campaigns_running', { taskQueue });
const ended = (samples: Sample[], outcome: string) =>
  sumOf(samples, 'bolna_campaigns_ended_total', { outcome, taskQueue });
const requests = (samples: Sample[], endpoint: string, status: string) =>
  sumOf(samples, 'bolna_api_requests_total', { endpoint, status });

function start(name: string, input: Omit<CampaignInput, 'agentId'>) {
  return stack.client.workflow.start('batchCampaign', {
    workflowId: `campaign-metrics-${name}-${Date.now()}`,
    taskQueue,
    args: [{ agentId, ...input }],
  });
}

function logLines(): Record<string, unknown>[] {
  return worker
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('during and after campaigns, the worker serves the runtime metrics and the campaign metrics', async () => {
  // A 503 for the access check and a dropped connection for the schedule step's read: two retries to count.
  stack.simulator.injectFault({
    kind: 'server-error',
    method: 'GET',
    path: `/batches/${agentId}/all`,
    status: 503,
  });
  stack.simulator.injectFault({ kind: 'drop', method: 'GET', path: /^\/batches\/[^/]+$/ });

  const later = new Date(Date.now() + 3_600_000).toISOString();
  const waiting = await start('waiting', { csv: csvPath, startAt: later });
  await waitFor('the campaign to wait for its start', async () => {
    const progress = await waiting.query<CampaignProgress>('progress');
    return progress.phase === 'waiting';
  });

  // During: Temporal counts it as running; its requests and retries are counted.
  const during = await waitForMetric('bolna_campaigns_running to count it', (s) => running(s) === 1);
  expect(requests(during, 'GET /batches/{agent_id}/all', '503')).toBe(1);
  expect(requests(during, 'GET /batches/{batch_id}', 'no-response')).toBe(1);
  expect(requests(during, 'GET /user/me', '200')).toBe(2); // the access check's two attempts
  expect(requests(during, 'POST /batches', '201')).toBe(1);
  expect(requests(during, 'POST /batches/{batch_id}/schedule', '200')).toBe(1);
  // Both run on the queue of Bolna requests (src/temporal/bolna-budget.ts), and are counted under its name.
  for (const activityType of ['checkBolnaAccess', 'scheduleBatch']) {
    expect(
      sumOf(during, 'bolna_activity_retries_total', { activityType, taskQueue: bolnaQueues.calls }),
    ).toBe(1);
  }
  expect(sumOf(during, 'bolna_api_request_duration_milliseconds_count', { endpoint: 'POST /batches' })).toBe(
    1,
  );
  // The Temporal runtime's own metrics are served beside ours.
  expect(
    sumOf(during, 'temporal_workflow_task_execution_latency_count', { task_queue: taskQueue }),
  ).toBeGreaterThan(0);
  expect(sumOf(during, 'temporal_worker_task_slots_available', { task_queue: taskQueue })).toBeGreaterThan(0);
  expect(ended(during, 'stopped')).toBe(0);

  await waiting.signal('stop', 'metrics test');
  const stopped = (await waiting.result()) as CampaignResult;
  expect(stopped.outcome).toBe('stopped');

  const completing = await start('completed', { csv: csvPath, pollIntervalSeconds: 1 });
  const completed = (await completing.result()) as CampaignResult;
  expect(completed).toMatchObject({ outcome: 'completed', totalCalls: 3 });

  const badCsv = join(stack.workDir, 'no-numbers.csv');
  await writeFile(badCsv, 'phone,name\n+919876543210,A\n');
  await expect((await start('failed', { csv: badCsv })).result()).rejects.toThrow();

  // After: every end counted once by outcome, every collected call by status, nothing running.
  const after = await waitForMetric('bolna_campaigns_running to drop to 0', (s) => running(s) === 0);
  expect(['completed', 'stopped', 'timed-out', 'failed'].map((outcome) => ended(after, outcome))).toEqual([
    1, 1, 0, 1,
  ]);
  const collected: Record<string, number> = {};
  for (const result of [stopped, completed]) {
    for (const [status, count] of Object.entries(result.counts ?? {})) {
      collected[status] = (collected[status] ?? 0) + count;
    }
  }
  const counted: Record<string, number> = {};
  for (const { name, labels, value } of after) {
    if (name === 'bolna_calls_total' && value > 0) counted[labels.status ?? ''] = value;
  }
  expect(counted).toEqual(collected);
  expect(Object.values(counted).reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(3);
  const retriesOn = (queue: string) => sumOf(after, 'bolna_activity_retries_total', { taskQueue: queue });
  expect(retriesOn(taskQueue) + retriesOn(bolnaQueues.calls) + retriesOn(bolnaQueues.polls)).toBe(2);

  // The worker's output is JSON lines naming the workflow (and the batch, in our own lines), without the key.
  const lines = logLines();
  expect(worker.output()).not.toContain(testApiKey);
  expect(lines.every((line) => typeof line.time === 'string' && typeof line.level === 'string')).toBe(true);
  expect(lines).toContainEqual(
    expect.objectContaining({
      level: 'info',
      message: 'Campaign phase: completed',
      workflowId: completing.workflowId,
      batchId: completed.batchId,
      workflowType: 'batchCampaign',
    }),
  );
  expect(lines).toContainEqual(
    expect.objectContaining({
      level: 'warn',
      activityType: 'checkBolnaAccess',
      workflowId: waiting.workflowId,
      attempt: 1,
    }),
  );
}, 180_000);

test('the running count is what Temporal knows, whichever worker runs the campaigns; a failing count is logged once', async () => {
  // No worker polls this queue (its name needs quoting): the campaigns are open all the same.
  const idleQueue = "nobody's queue";
  const handles = await Promise.all(
    ['a', 'b'].map((name) =>
      stack.client.workflow.start('batchCampaign', {
        workflowId: `campaign-metrics-idle-${name}-${Date.now()}`,
        taskQueue: idleQueue,
        args: [{ agentId, csv: csvPath }],
      }),
    ),
  );
  const reported: number[] = [];
  const entries: LogEntry[] = [];
  const logger = new DefaultLogger('INFO', (entry) => entries.push(entry));
  const counter = countRunningCampaigns({
    client: stack.client,
    taskQueue: idleQueue,
    report: (count) => reported.push(count),
    logger,
    intervalMs: 50,
  });
  try {
    await waitFor('both idle campaigns to be counted', () => reported.at(-1) === 2);
    await handles[0]!.terminate('metrics test');
    await waitFor('the terminated one to leave the count', () => reported.at(-1) === 1);
  } finally {
    counter.stop();
    await handles[1]!.terminate('metrics test');
  }
  expect(entries).toEqual([]);

  // A namespace the server does not have: every count fails, as in an outage.
  const lost = new Client({ connection: stack.connection, namespace: 'no-such-namespace' });
  let attempts = 0;
  const failing = countRunningCampaigns({
    client: {
      workflow: {
        count: (query) => {
          attempts += 1;
          return lost.workflow.count(query);
        },
      },
    },
    taskQueue: idleQueue,
    report: (count) => reported.push(count),
    logger,
    intervalMs: 20,
  });
  try {
    await waitFor('three failed counts', () => attempts >= 3);
  } finally {
    failing.stop();
  }
  expect(entries.map((entry) => [entry.level, entry.message])).toEqual([
    ['WARN', 'Cannot count running campaigns; bolna_campaigns_running is stale'],
  ]);
  expect(reported.at(-1)).toBe(1);
});

test('a metrics address already taken stops the worker at start, naming the variable', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const address = `127.0.0.1:${(taken.address() as AddressInfo).port}`;
  const refused = spawnWorker('metrics-port-taken', {
    ...stack.workerEnv(`${taskQueue}-refused`, join(stack.workDir, 'refused-results')),
    BOLNA_METRICS_ADDRESS: address,
  });
  try {
    expect((await refused.exited).code).toBe(1);
    expect(refused.output()).toContain(`Cannot serve metrics on BOLNA_METRICS_ADDRESS=${address}`);
    expect(refused.output()).not.toContain('Worker polling');
  } finally {
    await refused.kill();
    await new Promise((resolve) => taken.close(resolve));
  }
});
