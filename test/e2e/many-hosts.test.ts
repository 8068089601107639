import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { WorkflowHandle } from '@temporalio/client';
import type { batchCampaign } from '../../src/workflows/batch-campaign';
import { workflowType } from '../../src/workflows/definitions';
import type { CampaignResult } from '../../src/workflows/definitions';
import { startDevStack } from '../support/dev-stack';
import type { DevStack } from '../support/dev-stack';
import {
  objectStoreClient,
  objectStoreCredentials,
  objectStoreEnv,
  startObjectStoreServer,
} from '../support/object-store-server';
import type { RunningObjectStore } from '../support/object-store-server';
import { waitFor } from '../support/wait-for';
import { spawnWorker } from '../support/worker-process';
import type { WorkerProcess } from '../support/worker-process';

/**
 * Many hosts, no shared folder, end to end: the dev server, the simulator, a real S3-compatible server (moto's)
 * and `npm run worker` processes, each with a results folder of its own (as on hosts that share no disk), keeping
 * campaign files in the bucket. Campaigns complete with one batch each and every call's result in the bucket, the
 * local folders are left empty, and a host that dies after validating a campaign's CSV does not strand it.
 */

const bucket = 'bolna-campaigns';
const storePrefix = 'many-hosts';
const contacts = ['+919876543210', '+919812345678', '+14155550123', '+442071838750'];

let stack: DevStack;
let objectStore: RunningObjectStore;
let s3: S3Client;
let csvPath: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  stack = await startDevStack({
    name: 'many-hosts',
    simulator: {
      calls: {
        concurrency: 4,
        spacingMs: 100,
        dialMs: 200,
        ringMs: 200,
        talkMs: 500,
        postProcessingMs: 300,
        outcomes: { completed: 3, 'no-answer': 1 },
      },
    },
  });
  objectStore = await startObjectStoreServer();
  s3 = objectStoreClient(objectStore.endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  csvPath = join(stack.workDir, 'contacts.csv');
  await writeFile(
    csvPath,
    `contact_number,name\n${contacts.map((n, i) => `${n},Contact ${i}`).join('\n')}\n`,
  );
}, 180_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.kill()));
  s3?.destroy();
  await objectStore?.stop();
  await stack?.close();
}, 60_000);

/** A worker process on a "host" of its own: its own results folder, campaign files kept in the bucket. */
async function startHost(
  label: string,
  taskQueue: string,
): Promise<{ worker: WorkerProcess; resultsDir: string }> {
  const resultsDir = join(stack.workDir, `host-${label}`);
  await mkdir(resultsDir);
  const worker = spawnWorker(label, {
    ...stack.workerEnv(taskQueue, resultsDir),
    ...objectStoreEnv(objectStore.endpoint, `s3://${bucket}/${storePrefix}`),
  });
  workers.push(worker);
  await worker.ready();
  return { worker, resultsDir };
}

function startCampaign(taskQueue: string, agentId: string): Promise<WorkflowHandle<typeof batchCampaign>> {
  return stack.client.workflow.start<typeof batchCampaign>(workflowType, {
    workflowId: `many-hosts-${randomUUID()}`,
    taskQueue,
    args: [{ agentId, csv: csvPath, pollIntervalSeconds: 1 }],
  });
}

/** Every file under `folder`, however deep (folders themselves do not count). */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => !entry.isDirectory()).map((entry) => join(entry.parentPath, entry.name));
}

/** Which worker (its identity) started each attempt of each activity of the campaign. */
async function activityWorkers(handle: WorkflowHandle<typeof batchCampaign>): Promise<Map<string, string[]>> {
  const events = (await handle.fetchHistory()).events ?? [];
  const typeOfScheduled = new Map<string, string>();
  const workers = new Map<string, string[]>();
  for (const event of events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) typeOfScheduled.set(String(event.eventId), scheduled.activityType?.name ?? '?');
    const started = event.activityTaskStartedEventAttributes;
    if (started) {
      const type = typeOfScheduled.get(String(started.scheduledEventId)) ?? '?';
      workers.set(type, [...(workers.get(type) ?? []), started.identity ?? '?']);
    }
  }
  return workers;
}

async function objectText(location: string): Promise<string> {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  if (!match) throw new Error(`${location} is not an object's location`);
  const object = await s3.send(new GetObjectCommand({ Bucket: match[1], Key: match[2] }));
  return object.Body!.transformToString();
}

/** Completed, with exactly one batch for the campaign's agent, and every call's result and the report in the bucket. */
async function expectCompletedIntoBucket(result: CampaignResult, agentId: string): Promise<void> {
  expect(result.outcome).toBe('completed');
  expect(result.totalCalls).toBe(contacts.length);
  const batches = stack.simulator.batches.list().filter((batch) => batch.agentId === agentId);
  expect(batches.map((batch) => batch.batchId)).toEqual([result.batchId]);

  const files = result.files!;
  for (const location of [files.jsonl, files.csv, files.reportHtml, files.reportJson]) {
    expect(location).toMatch(new RegExp(`^s3://${bucket}/${storePrefix}/many-hosts-[^/]+/[a-z.]+$`));
  }
  const executions = (await objectText(files.jsonl))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { id: string }).id);
  expect(new Set(executions)).toEqual(new Set(batches[0]!.executionIds));
  expect(executions).toHaveLength(contacts.length);
  const csv = await objectText(files.csv);
  for (const id of executions) expect(csv).toContain(`${id},`);
  expect(JSON.parse(await objectText(files.reportJson!))).toMatchObject({
    calls: { total: contacts.length },
    campaign: { batchIds: [result.batchId] },
  });
  expect(await objectText(files.reportHtml!)).toContain('<html');
  const head = await s3.send(
    new HeadObjectCommand({ Bucket: bucket, Key: files.jsonl.slice(`s3://${bucket}/`.length) }),
  );
  expect(head.ServerSideEncryption).toBe('AES256');
}

test('two workers with separate results folders run campaigns that complete with their results in the bucket', async () => {
  const taskQueue = `many-hosts-${Date.now().toString(36)}`;
  const hosts = [await startHost('a', taskQueue), await startHost('b', taskQueue)];
  const agents = Array.from({ length: 6 }, () => randomUUID());
  const handles = await Promise.all(agents.map((agentId) => startCampaign(taskQueue, agentId)));
  const results = await Promise.all(handles.map((handle) => handle.result()));
  for (const [index, result] of results.entries()) await expectCompletedIntoBucket(result, agents[index]!);

  // Nothing personal stays on the hosts: their staging and download folders are gone once the files are kept.
  for (const { resultsDir } of hosts) expect(await filesUnder(resultsDir)).toEqual([]);
  // Both hosts took part.
  for (const { worker } of hosts) expect(worker.output()).toMatch(/Campaign phase|Bolna batch/);
  // The store's credentials never reach a worker's output (nor, being the worker's own, any workflow).
  for (const { worker } of hosts)
    expect(worker.output()).not.toContain(objectStoreCredentials.AWS_SECRET_ACCESS_KEY);
}, 240_000);

test('a host that dies after validating the CSV does not strand the campaign: another host uploads it, once', async () => {
  const taskQueue = `many-hosts-lost-${Date.now().toString(36)}`;
  // The access check comes between validation and creation: held there, the validating host is killed.
  stack.simulator.injectFault({ method: 'GET', path: '/user/me', kind: 'latency', latencyMs: 120_000 });
  const first = await startHost('validator', taskQueue);
  const agentId = randomUUID();
  const handle = await startCampaign(taskQueue, agentId);
  await waitFor('the validating host to check access', () =>
    stack.simulator.requests.some((request) => request.path === '/user/me' && request.status === 'pending'),
  );
  await first.worker.kill();
  // Its disk went with it.
  await rm(first.resultsDir, { recursive: true, force: true });

  const second = await startHost('uploader', taskQueue);
  const result = await handle.result();
  await expectCompletedIntoBucket(result, agentId);
  expect(second.worker.output()).toContain('Created Bolna batch');
  expect(await filesUnder(second.resultsDir)).toEqual([]);
  // Validated by the first host, uploaded by the second.
  const workerOf = await activityWorkers(handle);
  expect(workerOf.get('validateCsv')).toHaveLength(1);
  expect(workerOf.get('createBatch')).toHaveLength(1);
  expect(workerOf.get('createBatch')![0]).not.toBe(workerOf.get('validateCsv')![0]);
}, 240_000);
