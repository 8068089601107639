import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Client } from '@temporalio/client';
import type { RunningSimulator } from '../../simulator/server';
import { exitCodes, runCli } from '../../src/cli';
import { batchCampaign } from '../../src/workflows/batch-campaign';
import type { CampaignPhase, CampaignProgress, CampaignResult } from '../../src/workflows/definitions';
import {
  fastRules,
  testAgentId as agentId,
  testApiKey as apiKey,
  threeContactsCsv,
} from '../support/constants';
import { startDevStack } from '../support/dev-stack';
import type { DevStack } from '../support/dev-stack';
import { installQuietRuntime } from '../support/quiet-runtime';
import { waitFor } from '../support/wait-for';
import { spawnWorker } from '../support/worker-process';
import type { WorkerProcess } from '../support/worker-process';

/**
 * End to end on the real Temporal dev server, driven by the real `temporal` CLI and our own CLI, with workers
 * talking to the simulator over loopback. Bolna's rules are shrunk (5 s lead, 10 s rounding) to keep it quick.
 */

const rules = fastRules;
const taskQueue = 'e2e-campaigns';

let stack: DevStack;
let simulator: RunningSimulator;
let client: Client;
let workDir: string;
let csvPath: string;

beforeAll(async () => {
  installQuietRuntime();
  stack = await startDevStack({
    name: 'campaign-e2e',
    simulator: { calls: { concurrency: 4, ringMs: 300, talkMs: 1_000, postProcessingMs: 500 } },
  });
  ({ simulator, client, workDir } = stack);
  csvPath = join(workDir, 'contacts.csv');
  await writeFile(csvPath, threeContactsCsv);
  await stack.runWorker({ taskQueue });
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

async function queryProgress(workflowId: string): Promise<CampaignProgress> {
  const { stdout } = await stack.temporal(
    'workflow',
    'query',
    '--workflow-id',
    workflowId,
    '--type',
    'progress',
    '-o',
    'json',
  );
  const parsed = JSON.parse(stdout) as { queryResult: CampaignProgress[] };
  return parsed.queryResult[0]!;
}

async function waitForPhase(workflowId: string, phase: CampaignPhase): Promise<void> {
  await waitFor(
    `${workflowId} to reach ${phase}`,
    async () => (await queryProgress(workflowId)).phase === phase,
  );
}

/** `temporal workflow start`, exactly as an operator would type it. */
async function startWithTemporalCli(workflowId: string, input: Record<string, unknown>): Promise<void> {
  const args = ['--type', 'batchCampaign', '--task-queue', taskQueue, '--workflow-id', workflowId];
  await stack.temporal('workflow', 'start', ...args, '--input', JSON.stringify(input));
}

const creates = () => simulator.requests.filter((r) => r.method === 'POST' && r.path === '/batches');

test('the temporal CLI starts, queries and completes a campaign; the key never reaches history', async () => {
  const workflowId = `campaign-e2e-cli-${Date.now()}`;
  const createsBefore = creates().length;
  await startWithTemporalCli(workflowId, { agentId, csv: csvPath, pollIntervalSeconds: 1 });
  await waitForPhase(workflowId, 'waiting');
  const result = (await client.workflow.getHandle(workflowId).result()) as CampaignResult;
  expect(result.outcome).toBe('completed');
  expect(result.totalCalls).toBe(3);
  expect((await queryProgress(workflowId)).phase).toBe('completed');

  expect(creates().length - createsBefore).toBe(1);
  const schedule = simulator.requests.find((r) => r.path === `/batches/${result.batchId}/schedule`)!;
  const scheduledAt = String(schedule.fields?.scheduled_at);
  expect(scheduledAt).not.toMatch(/Z$/i);
  expect(Date.parse(scheduledAt) - schedule.at).toBeGreaterThanOrEqual(rules.minLeadMs);

  const { stdout: history } = await stack.temporal(
    'workflow',
    'show',
    '--workflow-id',
    workflowId,
    '-o',
    'json',
  );
  expect(history).toContain('batchCampaign');
  expect(history).not.toContain(apiKey);
});

test('the temporal CLI stop signal stops a waiting campaign', async () => {
  const workflowId = `campaign-e2e-stop-${Date.now()}`;
  await startWithTemporalCli(workflowId, {
    agentId,
    csv: csvPath,
    startAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  await waitForPhase(workflowId, 'waiting');
  await stack.temporal(
    'workflow',
    'signal',
    '--workflow-id',
    workflowId,
    '--name',
    'stop',
    '--input',
    '"wrong list"',
  );
  const result = (await client.workflow.getHandle(workflowId).result()) as CampaignResult;
  expect(result).toMatchObject({ outcome: 'stopped', stopReason: 'wrong list' });
  expect(
    simulator.requests.some((r) => r.path === `/batches/${result.batchId}/stop` && r.status === 200),
  ).toBe(true);
});

test('campaigns started together, and a workflow ID started again after a terminate, never share a batch', async () => {
  // Run IDs here are time-ordered: the first 8 characters of two started together are the same.
  const stamp = Date.now();
  const input = { agentId, csv: csvPath, pollIntervalSeconds: 1 };
  simulator.injectFault({ method: 'POST', path: '/batches', kind: 'lost-response', times: 1 });
  const together = await Promise.all(
    [`campaign-e2e-a b-${stamp}`, `campaign-e2e-a:b-${stamp}`].map((workflowId) =>
      client.workflow.start(batchCampaign, { workflowId, taskQueue, args: [input] }),
    ),
  );
  const results = await Promise.all(together.map((handle) => handle.result()));
  expect(new Set(results.map((result) => result.batchId)).size).toBe(2);
  expect(new Set(results.map((result) => result.files?.jsonl)).size).toBe(2);
  expect(results.map((result) => result.totalCalls)).toEqual([3, 3]);

  // Terminated while waiting: its batch stays at Bolna. The same ID started again makes a batch of its own,
  // even when its create must be looked up by name after a lost answer.
  const workflowId = `campaign-e2e-again-${stamp}`;
  const first = await client.workflow.start(batchCampaign, { workflowId, taskQueue, args: [input] });
  await waitForPhase(workflowId, 'waiting');
  const { batchId: firstBatch } = await queryProgress(workflowId);
  await first.terminate('wrong list');
  simulator.injectFault({ method: 'POST', path: '/batches', kind: 'lost-response', times: 1 });
  const again = await client.workflow.start(batchCampaign, { workflowId, taskQueue, args: [input] });
  const result = await again.result();
  expect(result.batchId).not.toBe(firstBatch);
  expect(simulator.batches.find(firstBatch!)).toBeDefined();
});

describe('our CLI', () => {
  const cli = (...args: string[]) => runCli(['node', 'campaign', ...args], () => Promise.resolve(client));
  const name = `cli-${Date.now()}`;
  let printed: string[];
  let errors: string[];

  beforeAll(() => {
    process.env.TEMPORAL_TASK_QUEUE = taskQueue;
  });
  beforeEach(() => {
    printed = [];
    errors = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => {
    delete process.env.TEMPORAL_TASK_QUEUE;
  });

  test('start, refuse a duplicate, status and results', async () => {
    expect(
      await cli('start', '--agent', agentId, '--csv', csvPath, '--name', name, '--poll-interval', '1'),
    ).toBe(exitCodes.ok);
    expect(printed.pop()).toBe(`Started campaign-${name}, 3 contacts`);
    expect(await cli('start', '--agent', agentId, '--csv', csvPath, '--name', name)).toBe(
      exitCodes.alreadyExists,
    );
    expect(errors.pop()).toMatch(/already exists/);
    expect(await cli('status', name, '--json')).toBe(exitCodes.ok);
    expect((JSON.parse(printed.pop()!) as CampaignProgress).phase).toMatch(
      /^(validating|creating|scheduling|waiting)$/,
    );
    expect(await cli('results', name, '--json')).toBe(exitCodes.ok);
    const result = JSON.parse(printed.pop()!) as CampaignResult;
    expect(result).toMatchObject({ outcome: 'completed', totalCalls: 3 });
    expect(await cli('status', 'no-such-campaign')).toBe(exitCodes.notFound);
    expect(errors.pop()).toMatch(/No campaign 'no-such-campaign'/);
  });

  test('start --watch --json prints one JSON document: what started and how it ended', async () => {
    const campaign = `${name}-watched`;
    const args = ['--agent', agentId, '--csv', csvPath, '--name', campaign, '--poll-interval', '1'];
    expect(await cli('start', ...args, '--watch', '--json')).toBe(exitCodes.ok);
    expect(printed).toHaveLength(1);
    const document = JSON.parse(printed[0]!) as { workflowId: string; rows: number; result: CampaignResult };
    expect(document).toMatchObject({
      workflowId: `campaign-${campaign}`,
      rows: 3,
      result: { outcome: 'completed', totalCalls: 3 },
    });
  });

  test('stop and cancel both end a campaign as stopped (exit 5)', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    for (const how of ['stop', 'cancel'] as const) {
      const campaign = `${name}-${how}`;
      const args = ['--agent', agentId, '--csv', csvPath, '--name', campaign, '--start-at', later];
      expect(await cli('start', ...args)).toBe(exitCodes.ok);
      await waitForPhase(`campaign-${campaign}`, 'waiting');
      if (how === 'stop') {
        expect(await cli('stop', campaign, '--reason', 'not today')).toBe(exitCodes.ok);
        expect(printed.pop()).toBe(
          `Stop sent to batch campaign campaign-${campaign}: it stops its batch and collects the calls made so far`,
        );
      } else await client.workflow.getHandle(`campaign-${campaign}`).cancel();
      expect(await cli('results', campaign)).toBe(exitCodes.stopped);
      if (how === 'stop') expect(printed.pop()).toMatch(/Campaign stopped \(not today\)/);
      else expect(errors.pop()).toMatch(/^Batch campaign .* was cancelled; its batch was stopped/);
    }
  });

  test('schedule creates a recurring campaign; each triggered run is a full campaign of its own', async () => {
    const scheduleName = `${name}-weekly`;
    // Relative to the CLI's folder, which is not the worker's business: the schedule holds the absolute path.
    const csv = relative(process.cwd(), csvPath);
    const args = ['--agent', agentId, '--csv', csv, '--name', scheduleName, '--poll-interval', '1'];
    expect(await cli('schedule', '--cron', '0 10 * * MON', '--timezone', 'Asia/Kolkata', ...args)).toBe(
      exitCodes.ok,
    );
    const schedule = client.schedule.getHandle(`campaign-${scheduleName}`);
    try {
      const description = await schedule.describe();
      expect(description.spec.timezone).toBe('Asia/Kolkata');
      // No digest: every run reads the file as it is by then.
      expect(description.action.type === 'startWorkflow' && description.action.args).toEqual([
        { campaignName: scheduleName, agentId, csv: csvPath, pollIntervalSeconds: 1 },
      ]);
      await schedule.trigger();
      let runId: string | undefined;
      for (let i = 0; i < 100 && !runId; i += 1) {
        runId = (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId;
        if (!runId) await new Promise((r) => setTimeout(r, 100));
      }
      expect(runId).toMatch(new RegExp(`^campaign-${scheduleName}-`));
      const result = (await client.workflow.getHandle(runId!).result()) as CampaignResult;
      expect(result).toMatchObject({ outcome: 'completed', totalCalls: 3 });
    } finally {
      await schedule.delete();
    }
  });

  test('a bad CSV is refused before anything starts or reaches Bolna', async () => {
    const bad = join(workDir, 'bad.csv');
    await writeFile(bad, 'phone,name\n+919876543210,A\n');
    const before = simulator.requests.length;
    expect(await cli('start', '--agent', agentId, '--csv', bad, '--name', `${name}-bad`)).toBe(
      exitCodes.invalidInput,
    );
    expect(errors.pop()).toMatch(/line 1: there is no contact_number column/);
    expect(await cli('start', '--agent', agentId, '--csv', join(workDir, 'missing.csv'))).toBe(
      exitCodes.invalidInput,
    );
    expect(errors.pop()).toMatch(/missing\.csv': no such file/);
    expect(await cli('start', '--agent', 'agent-7', '--csv', csvPath, '--name', `${name}-bad`)).toBe(
      exitCodes.invalidInput,
    );
    expect(errors.pop()).toMatch(/^--agent must be a UUID, e\.g\. /);
    expect(simulator.requests.length).toBe(before);
    await expect(client.workflow.getHandle(`campaign-${name}-bad`).describe()).rejects.toThrow();
  });
});

test('a worker killed with SIGKILL mid-campaign is replaced without a second batch or lost results', async () => {
  const isolatedQueue = `e2e-kill-${Date.now()}`;
  const childEnv = stack.workerEnv(isolatedQueue, join(workDir, 'kill-results'));
  const workflowId = `campaign-e2e-kill-${Date.now()}`;
  const createsBefore = creates().length;
  let second: WorkerProcess | undefined;
  const first = spawnWorker('first', childEnv);
  try {
    const handle = await client.workflow.start('batchCampaign', {
      workflowId,
      taskQueue: isolatedQueue,
      args: [{ agentId, csv: csvPath, pollIntervalSeconds: 1 }],
    });
    await waitForPhase(workflowId, 'waiting');
    await first.kill();
    expect(first.isAlive()).toBe(false);
    second = spawnWorker('second', childEnv);
    const result = (await handle.result()) as CampaignResult;
    expect(result.outcome).toBe('completed');
    expect(result.totalCalls).toBe(3);
    expect(creates().length - createsBefore).toBe(1);
  } finally {
    await first.kill();
    await second?.stop();
  }
}, 180_000);
