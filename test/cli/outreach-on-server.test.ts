import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { exitCodes } from '../../src/cli';
import { cliSession } from '../support/cli-session';
import type { CliSession } from '../support/cli-session';
import { testAgentId as agentId, threeContactsCsv } from '../support/constants';
import { startDevServer } from '../support/dev-server';
import type { RunningDevServer } from '../support/dev-server';

/**
 * What the CLI sends to a real Temporal dev server for outreach campaigns, read back from the server: the start's
 * workflow type, ID and input (as its history recorded it), a schedule's action and policies. No worker runs: these
 * are the starts and refusals, not the campaign (the workflow's own tests cover that).
 */

let server: RunningDevServer;
let connection: Connection;
let client: Client;
let session: CliSession;
let workDir: string;
let csvPath: string;
let dncPath: string;
let counter = 0;

beforeAll(async () => {
  server = await startDevServer({ port: 0 });
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection });
  workDir = await mkdtemp(join(tmpdir(), 'outreach-cli-'));
  csvPath = join(workDir, 'leads.csv');
  dncPath = join(workDir, 'dnc.csv');
  await writeFile(csvPath, threeContactsCsv);
  await writeFile(dncPath, 'contact_number\n+919812345678\n');
}, 120_000);

afterAll(async () => {
  await connection?.close();
  await server?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

beforeEach(() => {
  session = cliSession(client);
  counter += 1;
});
afterEach(() => session.restore());

async function sentInput(handle: WorkflowHandle): Promise<unknown> {
  const history = await handle.fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return defaultPayloadConverter.fromPayload(payload!);
}

const csvArgs = () => ['--agent', agentId, '--csv', relative(process.cwd(), csvPath)];

test('start with outreach options starts outreachCampaign as outreach-<name>, with the whole input checked and pinned', async () => {
  const name = `spring-${counter}`;
  const deadline = new Date(Date.now() + 3 * 86_400_000).toISOString();
  const code = await session.run(
    'start',
    ...csvArgs(),
    ...['--name', name, '--retry', 'no-answer,busy', '--retry-after', '3h', '--window', '09:00-19:00'],
    ...['--days', 'mon,tue', '--time-zone', 'recipient', '--deadline', deadline, '--budget', '5000'],
    ...['--goal', 'interested=true:2', '--suppress', relative(process.cwd(), dncPath)],
    ...['--suppress', 'https://lists.example.com/dnc.csv', '--max-calls-per-day', '1'],
  );
  expect(session.errors).toEqual([]);
  expect(code).toBe(exitCodes.ok);
  expect(session.printed).toEqual([`Started outreach campaign outreach-${name}, 3 contacts`]);
  const handle = client.workflow.getHandle(`outreach-${name}`);
  try {
    expect((await handle.describe()).type).toBe('outreachCampaign');
    expect(await sentInput(handle)).toEqual({
      campaignName: name,
      agentId,
      csv: csvPath,
      csvSha256: createHash('sha256').update(threeContactsCsv).digest('hex'),
      retry: { on: ['no-answer', 'busy'], maxAttempts: 3, after: '3h' },
      window: { start: '09:00', end: '19:00', days: ['mon', 'tue'], timeZone: 'recipient' },
      deadline,
      budget: { maxCost: 5000 },
      goal: { field: 'interested', equals: true, count: 2 },
      suppress: [dncPath, 'https://lists.example.com/dnc.csv'],
      maxCallsPerNumberPerDay: 1,
    });
  } finally {
    await handle.terminate('test over');
  }
});

test('an outreach and a batch campaign of one name do not collide; pause and resume go to the outreach one', async () => {
  const name = `twins-${counter}`;
  expect(await session.run('start', ...csvArgs(), '--name', name)).toBe(exitCodes.ok);
  expect(await session.run('start', ...csvArgs(), '--name', name, '--budget', '100')).toBe(exitCodes.ok);
  const batch = client.workflow.getHandle(`campaign-${name}`);
  const outreach = client.workflow.getHandle(`outreach-${name}`);
  try {
    expect((await batch.describe()).type).toBe('batchCampaign');
    expect((await outreach.describe()).type).toBe('outreachCampaign');
    // Ended, so no worker is needed to answer: the answer says so, and the running batch campaign is left alone.
    await outreach.terminate('test over');
    expect(await session.run('pause', name, '--reason', 'offer changed')).toBe(exitCodes.ok);
    expect(session.printed.pop()).toBe(
      `Outreach campaign outreach-${name} already ended (terminated); nothing to pause`,
    );
    expect(await session.run('resume', name, '--json')).toBe(exitCodes.ok);
    expect(JSON.parse(session.printed.pop()!)).toEqual({
      workflowId: `outreach-${name}`,
      signalled: false,
      status: 'TERMINATED',
    });
    const signals = (await batch.fetchHistory()).events?.filter(
      (e) => e.workflowExecutionSignaledEventAttributes,
    );
    expect(signals).toEqual([]);
  } finally {
    await batch.terminate('test over');
  }
});

test('pause of a batch campaign is refused (exit 2) without signalling it', async () => {
  const name = `plain-${counter}`;
  expect(await session.run('start', ...csvArgs(), '--name', name)).toBe(exitCodes.ok);
  const batch = client.workflow.getHandle(`campaign-${name}`);
  try {
    expect(await session.run('pause', name)).toBe(exitCodes.invalidInput);
    expect(session.errors.pop()).toBe(
      `campaign-${name} is a batchCampaign, not an outreachCampaign: only outreach campaigns pause; a batch campaign can only be stopped`,
    );
    const signals = (await batch.fetchHistory()).events?.filter(
      (e) => e.workflowExecutionSignaledEventAttributes,
    );
    expect(signals).toEqual([]);
  } finally {
    await batch.terminate('test over');
  }
});

test('a do-not-call list that cannot be read is refused (exit 2) and nothing starts', async () => {
  const name = `missing-dnc-${counter}`;
  const missing = join(workDir, 'no-such-dnc.csv');
  expect(await session.run('start', ...csvArgs(), '--name', name, '--suppress', missing)).toBe(
    exitCodes.invalidInput,
  );
  expect(session.errors.pop()).toBe(
    `--suppress '${missing}': no such file; it must be a CSV file readable here or an http(s) URL ` +
      '(add --csv-on-worker for a path only the worker can read)',
  );
  await expect(client.workflow.getHandle(`outreach-${name}`).describe()).rejects.toBeInstanceOf(
    WorkflowNotFoundError,
  );
});

/** A list per day, `leads/{date}.csv`: only a schedule's runs name an existing file. */
const datedList = () => join(workDir, 'leads', '{date}.csv');

/** `schedule` of an outreach campaign (retrying no-answer) over the dated list, with the options given. */
const scheduleDatedList = (name: string, ...options: string[]) =>
  session.run(
    'schedule',
    ...['--agent', agentId, '--csv', relative(process.cwd(), datedList()), '--name', name],
    ...['--retry', 'no-answer', ...options],
  );

test("an outreach schedule runs outreachCampaign with the {date} CSV and the schedule's zone; catch-up 6 hours by default", async () => {
  const name = `daily-${counter}`;
  const template = datedList();
  const code = await scheduleDatedList(name, '--cron', '0 10 * * MON-FRI', '--timezone', 'Asia/Kolkata');
  expect(session.errors).toEqual([]);
  expect(code).toBe(exitCodes.ok);
  const schedule = client.schedule.getHandle(`outreach-${name}`);
  try {
    const description = await schedule.describe();
    expect(description.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'outreachCampaign',
      workflowId: `outreach-${name}`,
      args: [
        {
          campaignName: name,
          agentId,
          csv: template,
          retry: { on: ['no-answer'], maxAttempts: 3, after: '2h' },
          scheduleTimeZone: 'Asia/Kolkata',
        },
      ],
    });
    expect(description.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 6 * 3_600_000 });
  } finally {
    await schedule.delete();
  }
});

test("with no --timezone, {date} is read in the zone the cron's TZ= names, as the schedule reads the cron", async () => {
  const name = `kolkata-${counter}`;
  const code = await scheduleDatedList(name, '--cron', 'TZ=Asia/Kolkata 0 10 * * MON-FRI');
  expect(session.errors).toEqual([]);
  expect(code).toBe(exitCodes.ok);
  const schedule = client.schedule.getHandle(`outreach-${name}`);
  try {
    const description = await schedule.describe();
    expect(description.spec.timezone).toBe('Asia/Kolkata');
    expect(description.action).toMatchObject({ args: [{ scheduleTimeZone: 'Asia/Kolkata' }] });
  } finally {
    await schedule.delete();
  }
});

test("--catchup-window sets the schedule's catch-up window (a batch schedule too)", async () => {
  const name = `weekly-${counter}`;
  const args = [...csvArgs(), '--name', name, '--cron', '0 10 * * MON', '--catchup-window', '90 minutes'];
  expect(await session.run('schedule', ...args)).toBe(exitCodes.ok);
  const schedule = client.schedule.getHandle(`campaign-${name}`);
  try {
    const description = await schedule.describe();
    expect(description.action).toMatchObject({ workflowType: 'batchCampaign' });
    expect(description.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 90 * 60_000 });
  } finally {
    await schedule.delete();
  }
});
