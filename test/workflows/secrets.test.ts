import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DefaultLogger } from '@temporalio/worker';
import type { LogEntry } from '@temporalio/worker';
import { batchCampaign } from '../../src/workflows/batch-campaign';
import { progressQuery, stopSignal } from '../../src/workflows/definitions';
import {
  contactsCsv,
  testAgentId as agentId,
  testApiKey,
  wrongApiKey as wrongKey,
} from '../support/constants';
import { startWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';

/**
 * The API key never leaves the worker's memory: campaigns that succeed, fail on a refused key, hit every kind of
 * fault and get stopped, and then every byte they left behind is searched for it — full workflow histories (with
 * payloads decoded), every log line down to DEBUG, every error, every results file. Results hold personal data, so
 * they must also be readable by their owner only.
 */

const logs: string[] = [];
let harness: WorkflowHarness;

beforeAll(async () => {
  const capture = new DefaultLogger('DEBUG', (entry: LogEntry) => {
    logs.push(`${entry.message} ${JSON.stringify(entry.meta ?? {})}`);
  });
  harness = await startWorkflowHarness(
    { calls: { concurrency: 2, ringMs: 5_000, talkMs: 30_000, postProcessingMs: 120_000 } },
    capture,
  );
  await harness.runWorker({ taskQueue: 'secrets' });
  await harness.runWorker({ taskQueue: 'secrets-wrong-key', apiKey: wrongKey });
});

afterAll(async () => {
  await harness?.close();
});

/** Every string in a history, with byte payloads decoded, so a key inside a payload cannot hide as base64. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) return value.map(textOf).join('\n');
  if (value !== null && typeof value === 'object') return Object.values(value).map(textOf).join('\n');
  return String(value);
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

test('the key appears in no history, log line, error or results file', async () => {
  const csv = await harness.writeCsv('secrets.csv', contactsCsv(3));
  const client = harness.env.client;
  const input = { agentId, csv, pollIntervalSeconds: 30 };
  // Faults make the client build error messages for every kind of failure.
  harness.simulator.injectFault({ method: 'POST', path: '/batches', kind: 'lost-response' });
  harness.simulator.injectFault({ method: 'POST', path: /\/schedule$/, kind: 'server-error' });
  harness.simulator.injectFault({ method: 'GET', path: /^\/batches\/[0-9a-f]+$/, kind: 'rate-limit' });
  harness.simulator.injectFault({ method: 'GET', path: /\/executions$/, kind: 'drop' });

  const completed = await client.workflow.start(batchCampaign, {
    workflowId: 'campaign-secrets-completed',
    taskQueue: 'secrets',
    args: [input],
  });
  const refused = await client.workflow.start(batchCampaign, {
    workflowId: 'campaign-secrets-refused',
    taskQueue: 'secrets-wrong-key',
    args: [input],
  });
  const stopped = await client.workflow.start(batchCampaign, {
    workflowId: 'campaign-secrets-stopped',
    taskQueue: 'secrets',
    args: [{ ...input, startAt: new Date((await harness.clock.now()) + 3_600_000).toISOString() }],
  });
  await stopped.signal(stopSignal, 'checking secrets');

  // One at a time: each wait lets the time-skipping server skip ahead, and concurrent waits confuse its lock.
  const outcomes: unknown[] = [];
  for (const handle of [completed, refused, stopped]) {
    outcomes.push(await handle.result().then(String, (error: unknown) => error));
  }
  const [, refusal] = outcomes;
  expect(String(refusal)).toMatch(/Workflow execution failed/);
  const errors = outcomes
    .filter((outcome): outcome is Error => outcome instanceof Error)
    .map((error) => `${error.stack}\n${textOf(error)}\n${textOf(error.cause)}`);
  expect(errors.join('\n')).toMatch(/BolnaAuthError|403/);

  const histories = await Promise.all(
    [completed, refused, stopped].map(async (handle) => textOf(await handle.fetchHistory())),
  );
  const files = await filesUnder(harness.resultsDir);
  const campaignFiles = files.filter((file) => file.includes('campaign-secrets-completed'));
  expect(campaignFiles.map((file) => file.split('/').pop()).sort()).toEqual([
    'contacts.csv',
    'executions.csv',
    'executions.jsonl',
    'report.html',
    'report.json',
  ]);
  const fileContents = await Promise.all(files.map((file) => readFile(file, 'utf8')));

  // The searches can find things: the completed campaign's history and results do hold its data.
  expect(histories[0]).toContain(agentId);
  expect(fileContents.join('\n')).toContain('+919876543210');
  expect(logs.length).toBeGreaterThan(10);
  expect(logs.join('\n')).toMatch(/Found the batch an earlier attempt created/);

  for (const secret of [testApiKey, wrongKey]) {
    expect(histories.join('\n')).not.toContain(secret);
    expect(logs.join('\n')).not.toContain(secret);
    expect(errors.join('\n')).not.toContain(secret);
    expect(fileContents.join('\n')).not.toContain(secret);
    expect(JSON.stringify(harness.simulator.requests)).not.toContain(secret);
  }

  for (const file of campaignFiles)
    expect({ file, mode: (await stat(file)).mode & 0o777 }).toEqual({ file, mode: 0o600 });
  const folder = join(harness.resultsDir, `campaign-secrets-completed-${completed.firstExecutionRunId}`);
  expect((await stat(folder)).mode & 0o777).toBe(0o700);
});

test('a key that reaches an error by any other path is taken out before it leaves the worker', async () => {
  // A CSV that is really an environment file: validation quotes its header line, key and all.
  const csv = await harness.writeCsv('env-file.csv', `BOLNA_API_KEY=${testApiKey}\n+919876543210\n`);
  const handle = await harness.env.client.workflow.start(batchCampaign, {
    workflowId: 'campaign-secrets-env-file',
    taskQueue: 'secrets',
    args: [{ agentId, csv }],
  });
  const failure: unknown = await handle.result().catch((error: unknown) => error);
  const history = textOf(await handle.fetchHistory());
  const progress = await handle.query(progressQuery);

  // The message still says what was wrong, with the key cut out of the quoted header.
  expect(history).toContain('BOLNA_API_KEY=[redacted]');
  expect(progress.error).toContain('BOLNA_API_KEY=[redacted]');
  for (const text of [history, textOf(failure), String((failure as Error).stack), JSON.stringify(progress)]) {
    expect(text).not.toContain(testApiKey);
  }
  expect(logs.join('\n')).not.toContain(testApiKey);
});
