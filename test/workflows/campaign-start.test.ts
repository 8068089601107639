import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import { startCampaign } from '../../src/campaigns';
import { exitCodes } from '../../src/cli';
import type { CampaignInput } from '../../src/workflows/definitions';
import { cliSession } from '../support/cli-session';
import type { CliSession } from '../support/cli-session';
import { contactsCsv, testAgentId as agentId } from '../support/constants';
import { startWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';

/**
 * What the starter (library and CLI) sends: the CSV it checked is the CSV the worker uploads. A local file goes as
 * an absolute path with its SHA-256, so a worker in another folder cannot pick up another file of that name, and
 * a file changed in between is refused; `--csv-on-worker` sends a worker-only path as given. A signed CSV URL never
 * shows its query in the Web UI's summary.
 */

let harness: WorkflowHarness;
let counter = 0;
const taskQueue = 'campaign-start';

beforeAll(async () => {
  harness = await startWorkflowHarness();
  await harness.runWorker({ taskQueue });
});

afterAll(async () => {
  await harness?.close();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const creates = () => harness.simulator.requests.filter((r) => r.method === 'POST' && r.path === '/batches');

/** The input the workflow was started with, as recorded in its history. */
async function sentInput(handle: WorkflowHandle): Promise<CampaignInput> {
  const history = await handle.fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return defaultPayloadConverter.fromPayload<CampaignInput>(payload!);
}

async function failureTypeOf(handle: WorkflowHandle): Promise<string | undefined> {
  const error = await handle.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const activity = (error as WorkflowFailedError).cause;
  expect(activity).toBeInstanceOf(ActivityFailure);
  const cause = (activity as ActivityFailure).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return (cause as ApplicationFailure).type ?? undefined;
}

test('startCampaign sends the absolute path and the SHA-256 of the file it validated', async () => {
  counter += 1;
  const content = contactsCsv(3);
  const path = await harness.writeCsv(`start-${counter}.csv`, content);
  const { handle, csv } = await startCampaign({
    client: harness.env.client,
    // Relative to this process's folder: a worker elsewhere would have resolved it in its own.
    input: { agentId, csv: relative(process.cwd(), path) },
    name: `absolute-${counter}`,
    taskQueue,
  });
  expect(csv?.rows).toBe(3);
  expect(await sentInput(handle)).toEqual({
    campaignName: `absolute-${counter}`,
    agentId,
    csv: path,
    csvSha256: sha256(content),
  });
  expect(await handle.result()).toMatchObject({ outcome: 'completed', totalCalls: 3 });
});

test('a file changed after it was validated is refused by the worker (CsvChanged), before any upload', async () => {
  counter += 1;
  const path = await harness.writeCsv(`changed-${counter}.csv`, contactsCsv(3));
  // No worker on this queue yet: the workflow waits while the file changes under it.
  const lateQueue = `${taskQueue}-late`;
  const { handle } = await startCampaign({
    client: harness.env.client,
    input: { agentId, csv: path },
    name: `changed-${counter}`,
    taskQueue: lateQueue,
  });
  await writeFile(path, contactsCsv(5));
  const createsBefore = creates().length;
  await harness.runWorker({ taskQueue: lateQueue });
  expect(await failureTypeOf(handle)).toBe('CsvChanged');
  expect(creates().length).toBe(createsBefore);
});

test('a digest given by the caller that does not match the local file is refused before anything starts', async () => {
  counter += 1;
  const path = await harness.writeCsv(`pinned-${counter}.csv`, contactsCsv(2));
  await expect(
    startCampaign({
      client: harness.env.client,
      input: { agentId, csv: path, csvSha256: sha256('another list') },
      name: `pinned-${counter}`,
      taskQueue,
    }),
  ).rejects.toThrow(/csvSha256: the file .* has SHA-256 [0-9a-f]{64}/);
});

describe('the CLI', () => {
  let cli: CliSession;

  beforeAll(() => {
    process.env.TEMPORAL_TASK_QUEUE = taskQueue;
  });
  afterAll(() => {
    delete process.env.TEMPORAL_TASK_QUEUE;
  });
  beforeEach(() => {
    cli = cliSession(harness.env.client);
  });
  afterEach(() => cli.restore());

  test('--csv-on-worker sends a path that is not here as given, unchecked, for the worker to read', async () => {
    counter += 1;
    const workerOnly = `worker-only-${counter}/contacts.csv`;
    expect(await cli.run('start', '--agent', agentId, '--csv', workerOnly, '--name', `here-${counter}`)).toBe(
      exitCodes.invalidInput,
    );
    expect(cli.errors.pop()).toMatch(/no such file/);

    const name = `on-worker-${counter}`;
    expect(
      await cli.run('start', '--agent', agentId, '--csv', workerOnly, '--csv-on-worker', '--name', name),
    ).toBe(exitCodes.ok);
    expect(cli.printed.pop()).toBe(`Started campaign-${name}`);
    const handle = harness.env.client.workflow.getHandle(`campaign-${name}`);
    expect(await sentInput(handle)).toEqual({ campaignName: name, agentId, csv: workerOnly });
    // This worker has no such file either (nor may it read the project folder): it says so.
    expect(await failureTypeOf(handle)).toMatch(/^CsvSource(Error|Refused)$/);
  });
});

test("a signed URL's query never reaches the Web UI's summary", async () => {
  counter += 1;
  const signed =
    'https://lists.example.com/campaigns/december.csv?X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature=0123abcd';
  // A queue no worker polls: only the start matters here, nothing is downloaded.
  const { handle } = await startCampaign({
    client: harness.env.client,
    input: { agentId, csv: signed },
    name: `signed-${counter}`,
    taskQueue: `${taskQueue}-unpolled`,
  });
  try {
    const description = await handle.describe();
    expect(await description.staticSummary()).toBe(
      `Bolna campaign signed-${counter}: https://lists.example.com/campaigns/december.csv · agent ${agentId}`,
    );
    expect(await description.staticDetails()).not.toContain('X-Amz');
  } finally {
    await handle.terminate('test over');
  }
});
