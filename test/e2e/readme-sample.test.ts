import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { testAgentId as agentId, threeContactsCsv } from '../support/constants';
import { startDevStack } from '../support/dev-stack';
import type { DevStack } from '../support/dev-stack';
import { installQuietRuntime } from '../support/quiet-runtime';

/**
 * The README's "From code" sample is a real program: the README shows examples/start-campaign.ts byte for byte,
 * tsc checks that file with the project, and here it runs as a user would run it (tsx, Temporal from the
 * environment) against the dev server and a simulator-backed worker, with Bolna's rules shrunk.
 */

const run = promisify(execFile);
const root = resolve(__dirname, '..', '..');
const samplePath = join(root, 'examples', 'start-campaign.ts');
const taskQueue = 'readme-sample';

test('the README shows examples/start-campaign.ts exactly as it is', async () => {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const block = /\]\(examples\/start-campaign\.ts\)[\s\S]*?\n```ts\n([\s\S]*?)```\n/.exec(readme)?.[1];
  expect(block).toBe(await readFile(samplePath, 'utf8'));
});

test("the sample is one of the files the project's tsc checks", () => {
  const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { fileNames } = ts.parseJsonConfigFileContent(configFile.config as object, ts.sys, root);
  expect(fileNames).toContain(samplePath);
});

describe('run against the dev server', () => {
  let stack: DevStack;

  beforeAll(async () => {
    // The test reads the sample's own output; the worker speaks only of errors.
    installQuietRuntime();
    // Calls that end as they start: the batch is done at its first poll, so the run takes Bolna's shrunk lead.
    const instant = { spacingMs: 0, dialMs: 0, ringMs: 0, talkMs: 0, postProcessingMs: 0 };
    stack = await startDevStack({
      name: 'readme-sample',
      simulator: { calls: { concurrency: 3, ...instant } },
    });
    await stack.runWorker({ taskQueue });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  test('it starts a campaign, follows it through its phases and prints how it ended', async () => {
    const csvPath = join(stack.workDir, 'contacts.csv');
    await writeFile(csvPath, threeContactsCsv);
    // Only what a user would set: the Temporal address and the workers' task queue.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(TEMPORAL|BOLNA)_/.test(name)),
    );
    const { stdout } = await run(join(root, 'node_modules', '.bin', 'tsx'), [samplePath, agentId, csvPath], {
      cwd: root,
      env: { ...env, TEMPORAL_ADDRESS: stack.server.address, TEMPORAL_TASK_QUEUE: taskQueue },
      timeout: 90_000,
    });

    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^started campaign-reminders-\d+ with 3 contacts$/);
    const phases = lines
      .filter((line) => line.startsWith('phase '))
      .map((line) => line.slice('phase '.length));
    expect(phases).toEqual(expect.arrayContaining(['waiting', 'completed']));
    expect(phases.indexOf('waiting')).toBeLessThan(phases.indexOf('completed'));
    const ended = /^completed: 3 calls, \d+ answered; results in (.+\.csv)$/.exec(lines.at(-1) ?? '');
    expect(ended).not.toBeNull();
    expect((await stat(ended![1]!)).isFile()).toBe(true);
    expect(stack.simulator.requests.filter((r) => r.method === 'POST' && r.path === '/batches')).toHaveLength(
      1,
    );
  }, 120_000);
});
