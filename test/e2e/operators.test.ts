import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { BolnaClient } from '../../src/bolna/client';
import { listCampaigns, startCampaign } from '../../src/campaigns';
import { exitCodes } from '../../src/cli';
import { progressQuery } from '../../src/workflows/definitions';
import { cliSession } from '../support/cli-session';
import { contactsCsv, testAgentId, testApiKey } from '../support/constants';
import { startDevStack } from '../support/dev-stack';
import type { DevStack } from '../support/dev-stack';
import { installQuietRuntime } from '../support/quiet-runtime';
import { waitFor } from '../support/wait-for';
import { spawnWorker } from '../support/worker-process';

/**
 * What operators see on the real dev server with the real `temporal` CLI: campaigns found by each search
 * attribute (and only the right ones), current details and handler descriptions in `temporal workflow metadata`
 * while a batch runs, no personal data in search attributes; and a namespace without the search attributes, where
 * the worker says so at start-up, campaigns still complete, and one command registers them.
 */

const run = promisify(execFile);
const otherAgentId = '6f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b';
const taskQueue = 'e2e-operators';
let stack: DevStack;
let csv: string;

beforeAll(async () => {
  installQuietRuntime();
  stack = await startDevStack({
    name: 'operators-e2e',
    // Long enough calls that a campaign is still running while the test looks at it.
    simulator: { calls: { concurrency: 1, ringMs: 500, talkMs: 4_000, postProcessingMs: 500 } },
  });
  csv = join(stack.workDir, 'december.csv');
  await writeFile(csv, contactsCsv(3));
  await stack.runWorker({ taskQueue });
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

/** Workflow IDs `temporal workflow list --query` finds, once visibility has caught up with `expected`. */
async function listed(query: string, expected: number): Promise<string[]> {
  return waitFor(`${expected} workflow(s) for ${query}`, async () => {
    const { stdout } = await stack.temporal('workflow', 'list', '--query', query, '-o', 'json');
    const ids = (JSON.parse(stdout || '[]') as { execution: { workflowId: string } }[]).map(
      (workflow) => workflow.execution.workflowId,
    );
    return ids.length === expected ? ids.sort() : undefined;
  });
}

test('campaigns are found by each search attribute, and only the right ones', async () => {
  const stamp = Date.now();
  const later = new Date(Date.now() + 3_600_000).toISOString();
  const waiting = await startCampaign({
    client: stack.client,
    name: `waiting-${stamp}`,
    input: { agentId: testAgentId, csv, startAt: later },
    taskQueue,
  });
  const done = await startCampaign({
    client: stack.client,
    name: `done-${stamp}`,
    input: { agentId: otherAgentId, csv, pollIntervalSeconds: 1 },
    taskQueue,
  });
  const result = await done.handle.result();
  const { batchId } = await waiting.handle.query(progressQuery);

  expect(await listed(`BolnaAgentId='${testAgentId}' AND CampaignPhase='waiting'`, 1)).toEqual([
    waiting.workflowId,
  ]);
  expect(await listed(`BolnaAgentId='${otherAgentId}' AND CampaignPhase='completed'`, 1)).toEqual([
    done.workflowId,
  ]);
  expect(await listed(`BolnaBatchId='${result.batchId}'`, 1)).toEqual([done.workflowId]);
  expect(await listed(`BolnaBatchId='${batchId}'`, 1)).toEqual([waiting.workflowId]);
  expect(await listed(`CampaignName='waiting-${stamp}'`, 1)).toEqual([waiting.workflowId]);
  expect(await listed(`CampaignName='nobody-${stamp}'`, 0)).toEqual([]);

  // The library asks the same store, with the same attributes; a name with a quote is escaped, not injected.
  const quoted = await startCampaign({
    client: stack.client,
    name: `o'brien ${stamp}`,
    input: { agentId: testAgentId, csv, startAt: later },
    taskQueue,
  });
  await listed(`CampaignName="o'brien ${stamp}" AND CampaignPhase='waiting'`, 1);
  expect(await listCampaigns(stack.client, { name: `o'brien ${stamp}` })).toEqual([
    expect.objectContaining({ workflowId: quoted.workflowId, status: 'RUNNING', phase: 'waiting' }),
  ]);
  expect(await listCampaigns(stack.client, { agentId: otherAgentId, phase: 'completed' })).toEqual([
    expect.objectContaining({
      workflowId: done.workflowId,
      status: 'COMPLETED',
      name: `done-${stamp}`,
      agentId: otherAgentId,
      batchId: result.batchId,
    }),
  ]);
  const open = await listCampaigns(stack.client, { agentId: testAgentId, open: true });
  expect(open.map((campaign) => campaign.workflowId).sort()).toEqual(
    [waiting.workflowId, quoted.workflowId].sort(),
  );
  expect(await listCampaigns(stack.client, { agentId: testAgentId, limit: 1 })).toHaveLength(1);
  await quoted.handle.cancel();

  // Stored unencrypted: ids, a phase and a name, never a number, a person or the list's path.
  const { searchAttributes } = await waiting.handle.describe();
  expect(searchAttributes).toMatchObject({
    BolnaAgentId: [testAgentId],
    BolnaBatchId: [batchId],
    CampaignName: [`waiting-${stamp}`],
    CampaignPhase: ['waiting'],
  });
  expect(JSON.stringify(searchAttributes)).not.toMatch(/\+91|Person|december\.csv/);
  await waiting.handle.cancel();
});

test('the CLI lists, describes and finds the owner of each batch at Bolna', async () => {
  const stamp = Date.now();
  const cliAgentId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  const waiting = await startCampaign({
    client: stack.client,
    name: `cli-waiting-${stamp}`,
    input: { agentId: cliAgentId, csv, startAt: new Date(Date.now() + 3_600_000).toISOString() },
    taskQueue,
  });
  const done = await startCampaign({
    client: stack.client,
    name: `cli-done-${stamp}`,
    input: { agentId: cliAgentId, csv, pollIntervalSeconds: 1 },
    taskQueue,
  });
  const result = await done.handle.result();
  await listed(`BolnaAgentId='${cliAgentId}' AND CampaignPhase='waiting' AND BolnaBatchId IS NOT NULL`, 1);
  await listed(`BolnaAgentId='${cliAgentId}' AND CampaignPhase='completed'`, 1);
  // A batch someone made by hand at Bolna, and one whose campaign never recorded it (its upload name says whose).
  const bolna = new BolnaClient({ apiKey: testApiKey, baseUrl: stack.simulator.url });
  const byHand = await bolna.createBatch({ agentId: cliAgentId, csvPath: csv, fileName: 'by-hand.csv' });
  const orphanRunId = '01234567-89ab-4cde-8f01-23456789abcd';
  const orphan = await bolna.createBatch({
    agentId: cliAgentId,
    csvPath: csv,
    fileName: `campaign-lost-${stamp}-${orphanRunId}.csv`,
  });

  const cli = cliSession(stack.client);
  const saved = { base: process.env.BOLNA_BASE_URL, key: process.env.BOLNA_API_KEY };
  Object.assign(process.env, { BOLNA_BASE_URL: stack.simulator.url, BOLNA_API_KEY: testApiKey });
  const output = () => cli.printed.splice(0).join('\n');
  try {
    expect(await cli.run('list', '--agent', cliAgentId, '--json')).toBe(exitCodes.ok);
    expect((JSON.parse(output()) as { workflowId: string }[]).map((c) => c.workflowId).sort()).toEqual(
      [waiting.workflowId, done.workflowId].sort(),
    );
    expect(await cli.run('list', '--agent', cliAgentId, '--phase', 'completed')).toBe(exitCodes.ok);
    const table = output();
    expect(table).toContain(done.workflowId);
    expect(table).toContain(result.batchId);
    expect(table).not.toContain(waiting.workflowId);
    expect(table).not.toContain('\u001b['); // no colour codes outside a terminal
    expect(await cli.run('list', '--name', `cli-waiting-${stamp}`, '--since', '1h', '--open')).toBe(
      exitCodes.ok,
    );
    expect(output()).toContain(waiting.workflowId);
    expect(await cli.run('list', '--agent', cliAgentId, '--until', '2020-01-01')).toBe(exitCodes.ok);
    expect(output()).toBe('No campaigns match.');
    expect(await cli.run('list', '--open', '--closed')).toBe(exitCodes.invalidInput);
    expect(await cli.run('list', '--since', 'last tuesday')).toBe(exitCodes.invalidInput);

    expect(await cli.run('describe', `cli-waiting-${stamp}`)).toBe(exitCodes.ok);
    const waitingView = output();
    const { batchId, startsAt } = await waiting.handle.query(progressQuery);
    for (const text of [
      'waiting',
      `${batchId} (scheduled)`,
      `calls start`,
      String(startsAt),
      '3 rows',
      cliAgentId,
    ]) {
      expect(waitingView).toContain(text);
    }
    expect(await cli.run('describe', done.workflowId, '--json')).toBe(exitCodes.ok);
    expect(JSON.parse(output())).toMatchObject({
      workflowId: done.workflowId,
      status: 'COMPLETED',
      phase: 'completed',
      name: `cli-done-${stamp}`,
      ending: { how: 'returned', outcome: 'completed', result: { batchId: result.batchId, totalCalls: 3 } },
    });
    expect(await cli.run('describe', `cli-done-${stamp}`)).toBe(exitCodes.ok);
    expect(output()).toContain(`│ report         │ ${result.files?.reportHtml ?? 'a report path'}`);
    expect(await cli.run('describe', `nobody-${stamp}`)).toBe(exitCodes.notFound);

    expect(await cli.run('report', `cli-done-${stamp}`)).toBe(exitCodes.ok);
    const report = output();
    expect(report).toContain(`Report: ${result.files?.reportHtml}`);
    expect(report).toMatch(/^3 calls: answered \d/m);
    expect(await cli.run('report', done.workflowId, '--json')).toBe(exitCodes.ok);
    expect(JSON.parse(output())).toMatchObject({
      html: result.files?.reportHtml,
      json: result.files?.reportJson,
      figures: { calls: { total: 3 }, campaign: { workflowId: done.workflowId, batchIds: [result.batchId] } },
    });
    expect(await cli.run('report', waiting.workflowId)).toBe(exitCodes.notFound);
    expect(cli.errors.at(-1)).toMatch(
      /is still waiting: its report is written when its results are collected/,
    );

    expect(await cli.run('batches', '--agent', cliAgentId, '--json')).toBe(exitCodes.ok);
    const owners = Object.fromEntries(
      (JSON.parse(output()) as AgentBatchesJson).batches.map(({ batch, owner }) => [
        batch.batch_id,
        owner ? `${owner.by}:${owner.campaign?.workflowId ?? owner.workflowId ?? ''}` : 'none',
      ]),
    );
    expect(owners).toEqual({
      [result.batchId as string]: `search-attribute:${done.workflowId}`,
      [batchId as string]: `search-attribute:${waiting.workflowId}`,
      [byHand.batch_id]: 'none',
      [orphan.batch_id]: `file-name:campaign-lost-${stamp}`,
    });
    expect(await cli.run('batches', '--agent', cliAgentId)).toBe(exitCodes.ok);
    const batches = output();
    expect(batches).toMatch(new RegExp(`${byHand.batch_id}.*\\(not ours\\)`));
    expect(batches).toMatch(new RegExp(`${orphan.batch_id}.*campaign-lost-${stamp} \\(by upload name\\)`));
    expect(batches).toMatch(new RegExp(`${result.batchId}.*${done.workflowId} \\(completed\\)`));
  } finally {
    cli.restore();
    Object.assign(process.env, { BOLNA_BASE_URL: saved.base, BOLNA_API_KEY: saved.key });
    if (saved.base === undefined) delete process.env.BOLNA_BASE_URL;
    if (saved.key === undefined) delete process.env.BOLNA_API_KEY;
    await waiting.handle.cancel();
  }
});

interface AgentBatchesJson {
  batches: {
    batch: { batch_id: string };
    owner?: { by: string; workflowId?: string; campaign?: { workflowId: string } };
  }[];
}

test('temporal workflow metadata shows live current details and what each handler does', async () => {
  const { handle, workflowId } = await startCampaign({
    client: stack.client,
    name: `metadata-${Date.now()}`,
    input: { agentId: testAgentId, csv, pollIntervalSeconds: 1 },
    taskQueue,
  });
  const metadata = async () => {
    const { stdout } = await stack.temporal(
      'workflow',
      'metadata',
      '--workflow-id',
      workflowId,
      '-o',
      'json',
    );
    return stdout;
  };
  const whileRunning = await waitFor('details of a running batch', async () => {
    const shown = await metadata();
    return /\| phase \| running \|/.test(shown) && /\| calls by status \|/.test(shown) ? shown : undefined;
  });
  expect(whileRunning).toMatch(/\| next poll \| \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC \|/);
  expect(whileRunning).toMatch(/Where the campaign is/);
  expect(whileRunning).toMatch(/Stop the campaign/);

  await handle.result();
  expect(await metadata()).toMatch(/\| phase \| completed \|/);
  const { stdout: history } = await stack.temporal(
    'workflow',
    'show',
    '--workflow-id',
    workflowId,
    '-o',
    'json',
  );
  for (const summary of [
    'read and check the contact list',
    'upload 3 contacts to Bolna',
    'until Bolna starts calling at',
  ]) {
    expect(history).toContain(Buffer.from(JSON.stringify(summary)).toString('base64').slice(0, 20));
  }
});

test('a namespace without the search attributes: the worker says so, campaigns complete, one command registers them', async () => {
  const bare = await startDevStack({
    name: 'operators-bare-e2e',
    searchAttributes: false,
    simulator: { calls: { concurrency: 2, ringMs: 300, talkMs: 1_000, postProcessingMs: 500 } },
  });
  try {
    await writeFile(join(bare.workDir, 'list.csv'), contactsCsv(2));
    const worker = spawnWorker('bare', bare.workerEnv('e2e-bare', join(bare.workDir, 'results')));
    try {
      await worker.ready().catch((error: unknown) => {
        throw new Error(`${String(error)}\n${worker.output()}`);
      });
      expect(worker.output()).toMatch(
        /lacks the search attributes BolnaBatchId, BolnaAgentId, CampaignPhase, CampaignName.*npm run register-search-attributes/s,
      );
      const { handle } = await startCampaign({
        client: bare.client,
        name: `bare-${Date.now()}`,
        input: { agentId: testAgentId, csv: join(bare.workDir, 'list.csv'), pollIntervalSeconds: 1 },
        taskQueue: 'e2e-bare',
      });
      expect(await handle.result()).toMatchObject({ outcome: 'completed', totalCalls: 2 });
      expect(Object.keys((await handle.describe()).searchAttributes)).not.toContain('CampaignPhase');
      const cli = cliSession(bare.client);
      try {
        const missing = await cli.run('list', '--agent', testAgentId);
        expect(cli.errors).toEqual([
          expect.stringMatching(/lacks.*BolnaAgentId.*npm run register-search-attributes/),
        ]);
        expect(missing).toBe(exitCodes.invalidInput);
        // What needs no search attribute still works.
        expect(await cli.run('list', '--closed', '--json')).toBe(exitCodes.ok);
        expect(JSON.parse(cli.printed.join('\n'))).toEqual([
          expect.objectContaining({ workflowId: handle.workflowId }),
        ]);
      } finally {
        cli.restore();
      }
    } finally {
      await worker.stop();
    }

    const register = () =>
      run(
        process.execPath,
        [resolve('node_modules/tsx/dist/cli.mjs'), 'src/temporal/register-search-attributes.ts'],
        {
          env: { ...process.env, TEMPORAL_ADDRESS: bare.server.address },
        },
      );
    expect((await register()).stdout).toMatch(
      /Registered BolnaBatchId, BolnaAgentId, CampaignPhase, CampaignName \(Keyword\) in namespace 'default'/,
    );
    expect((await register()).stdout).toMatch(/already has/);
    const { stdout } = await bare.temporal('operator', 'search-attribute', 'list', '-o', 'json');
    for (const name of ['BolnaBatchId', 'BolnaAgentId', 'CampaignPhase', 'CampaignName']) {
      expect(stdout).toContain(name);
    }
  } finally {
    await bare.close();
  }
}, 150_000);
