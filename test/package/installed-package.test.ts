import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import type { CampaignProgress, CampaignResult } from '../../src/campaigns';
import { testAgentId as agentId, threeContactsCsv } from '../support/constants';
import { startDevStack } from '../support/dev-stack';
import type { DevStack } from '../support/dev-stack';
import { spawnWorker } from '../support/worker-process';
import type { WorkerProcess } from '../support/worker-process';

/**
 * The package as another service gets it: `npm pack` (which builds afresh), `npm install` of the tarball into an
 * empty folder, and there the sample of docs/library.md (examples/start-campaign.ts, which imports the package by name)
 * compiled against the package's .d.ts alone and run with node, while the package's own worker bin runs the
 * campaign on the dev server with the simulator standing in for Bolna.
 */

const run = promisify(execFile);
const root = resolve(__dirname, '..', '..');
const samplePath = join(root, 'examples', 'start-campaign.ts');
const taskQueue = 'installed-package';
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

let folder: string;
let consumer: string;
let tarballEntries: string[];
let packageName: string;
let stack: DevStack | undefined;
let worker: WorkerProcess | undefined;

/** Packs the project into `packed` and installs the tarball into the empty `consumer` folder. */
async function packAndInstall(packed: string): Promise<void> {
  // Left over from an older build: a fresh build must not ship it.
  await mkdir(join(root, 'dist'), { recursive: true });
  await writeFile(join(root, 'dist', 'left-over.js'), 'module.exports = {};\n');
  await run('npm', ['pack', '--pack-destination', packed, '--loglevel', 'warn'], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [tarball, ...others] = await readdir(packed);
  expect(others).toEqual([]);
  const listing = await run('tar', ['-tzf', join(packed, tarball!)], { maxBuffer: 16 * 1024 * 1024 });
  tarballEntries = listing.stdout.split('\n').filter((line) => line !== '');
  // The registry is the only host npm may reach; what the project installed is in npm's cache already.
  await run(
    'npm',
    ['install', join(packed, tarball!), '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error'],
    { cwd: consumer, maxBuffer: 16 * 1024 * 1024 },
  );
}

/** Compiles the TypeScript files of the consumer folder with the project's tsc; resolves to its output. */
async function compile(
  files: string[],
  options: { emit: boolean },
): Promise<{ code: number; output: string }> {
  const args = [
    ...['--strict', '--target', 'ES2022', '--module', 'node16', '--moduleResolution', 'node16'],
    // As `tsc --init` sets it: the SDK's own .d.ts need types (@types/ms) that it leaves to its users.
    '--skipLibCheck',
    // Node's own types (process.argv) from the project: the empty folder has none.
    ...['--typeRoots', join(root, 'node_modules', '@types'), '--types', 'node'],
    ...(options.emit ? ['--outDir', 'build'] : ['--noEmit']),
    ...files,
  ];
  return run(process.execPath, [tsc, ...args], { cwd: consumer }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
  );
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'installed-package-'));
  consumer = join(folder, 'consumer');
  const packed = join(folder, 'packed');
  await mkdir(consumer);
  await mkdir(packed);
  packageName = (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { name: string }).name;
  // Calls that end as they start: the batch is done at its first poll, so the run takes Bolna's shrunk lead.
  const instant = { spacingMs: 0, dialMs: 0, ringMs: 0, talkMs: 0, postProcessingMs: 0 };
  const [started, installed] = await Promise.allSettled([
    startDevStack({ name: 'installed-package', simulator: { calls: { concurrency: 3, ...instant } } }),
    packAndInstall(packed),
  ]);
  if (started.status === 'fulfilled') stack = started.value;
  for (const step of [started, installed]) if (step.status === 'rejected') throw step.reason;
  // The worker as a service runs it from the package: its bin, configured by the environment.
  worker = spawnWorker('installed', stack!.workerEnv(taskQueue, join(stack!.workDir, 'results')), {
    command: join(consumer, 'node_modules', '.bin', 'bolna-campaign-worker'),
    args: [],
    cwd: consumer,
  });
  await copyFile(samplePath, join(consumer, 'start-campaign.ts'));
  const [compiled] = await Promise.all([compile(['start-campaign.ts'], { emit: true }), worker.ready()]);
  expect(compiled).toEqual({ code: 0, output: '' });
}, 150_000);

afterAll(async () => {
  await worker?.stop();
  await stack?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

test('docs/library.md shows examples/start-campaign.ts exactly as it is', async () => {
  const readme = await readFile(join(root, 'docs', 'library.md'), 'utf8');
  const block = /\]\(\.\.\/examples\/start-campaign\.ts\)[\s\S]*?\n```ts\n([\s\S]*?)```\n/.exec(readme)?.[1];
  expect(block).toBe(await readFile(samplePath, 'utf8'));
});

test("the sample is one of the files the project's tsc and linters check", () => {
  const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { fileNames } = ts.parseJsonConfigFileContent(configFile.config as object, ts.sys, root);
  expect(fileNames).toContain(samplePath);
});

test('the tarball holds the freshly built package and README, nothing of the tests, simulator or caches', () => {
  const files = tarballEntries.map((entry) => entry.replace(/^package\//, ''));
  expect(files).toEqual(
    expect.arrayContaining([
      'package.json',
      'README.md',
      'dist/campaigns.js',
      'dist/campaigns.d.ts',
      'dist/campaigns/campaign.d.ts',
      'dist/worker.js',
      'dist/starter.js',
      'dist/workflows/index.js',
    ]),
  );
  expect(files.filter((file) => !/^dist\/|^package\.json$|^README\.md$/.test(file))).toEqual([]);
  expect(files).not.toContain('dist/left-over.js');
  expect(
    files.filter((file) => /(^|\/)(test|simulator|scripts|\.cache|\.data|node_modules)\//.test(file)),
  ).toEqual([]);
});

test("the package's types are real: misuse fails to compile, and only the package's entry can be imported", async () => {
  const lines = [
    `import { connectClient, getCampaign, listCampaigns } from '${packageName}';`,
    `import { loadConfig } from '${packageName}/dist/config'; // error: not exported`,
    'export async function misuse(): Promise<void> {',
    '  const campaign = await getCampaign(await connectClient(), "december");',
    '  const phase: number = (await campaign.progress()).phase; // error: a phase is a string',
    '  const report: string = await campaign.report(); // error: may be undefined, and an object',
    `  await listCampaigns(await connectClient(), { phase: 'sleeping' }); // error: no such phase`,
    '  const ending = await campaign.result();',
    '  if (ending.how === "cancelled") console.log(ending.result); // error: a cancelled campaign has no result',
    '  console.log(phase, report, loadConfig);',
    '}',
  ];
  await writeFile(join(consumer, 'misuse.ts'), lines.join('\n') + '\n');
  const expected = lines.flatMap((line, index) => (line.includes('// error') ? [index + 1] : []));

  const { code, output } = await compile(['misuse.ts'], { emit: false });

  expect(code).not.toBe(0);
  const errorLines = [...output.matchAll(/^misuse\.ts\((\d+),\d+\): error/gm)].map(([, line]) =>
    Number(line),
  );
  expect([...new Set(errorLines)]).toEqual(expected);
});

test("docs/library.md's sample, run from the empty folder, starts a campaign, gets it back, follows it and reads its end", async () => {
  const csvPath = join(stack!.workDir, 'contacts.csv');
  await writeFile(csvPath, threeContactsCsv);
  // Only what a user would set: the Temporal address and the workers' task queue.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(TEMPORAL|BOLNA)_/.test(name)),
  );
  const { stdout } = await run(process.execPath, [join('build', 'start-campaign.js'), agentId, csvPath], {
    cwd: consumer,
    env: { ...env, TEMPORAL_ADDRESS: stack!.server.address, TEMPORAL_TASK_QUEUE: taskQueue },
    timeout: 90_000,
  });

  const lines = stdout.trim().split('\n');
  const workflowId = /^started (campaign-reminders-\d+) with 3 contacts$/.exec(lines[0] ?? '')?.[1];
  expect(workflowId).toBeDefined();
  // The first phase is read with progress() right after the start; the others as follow() sees them change.
  const phases = lines.filter((line) => line.startsWith('phase ')).map((line) => line.slice('phase '.length));
  expect(['validating', 'creating', 'scheduling', 'waiting']).toContain(phases[0]);
  expect(phases.at(-1)).toBe('completed');

  // The totals printed are the workflow's own result, read here with a client of the test's own.
  const result = (await stack!.client.workflow.getHandle(workflowId!).result()) as CampaignResult;
  expect(result).toMatchObject({ outcome: 'completed', totalCalls: 3 });
  expect(lines.at(-2)).toBe(
    `completed: 3 calls, ${result.answered} answered; results in ${result.files?.csv ?? '(no file)'}`,
  );
  expect((await stat(result.files!.csv)).isFile()).toBe(true);
  const { reportHtml } = result.files!;
  expect(lines.at(-1)).toBe(reportHtml === undefined ? 'no report' : `report in ${reportHtml}`);
  expect(stack!.simulator.requests.filter((r) => r.method === 'POST' && r.path === '/batches')).toHaveLength(
    1,
  );

  // The CLI comes with the package too.
  const status = await run(
    join(consumer, 'node_modules', '.bin', 'bolna-campaign'),
    ['status', workflowId!, '--json'],
    { cwd: consumer, env: { ...env, TEMPORAL_ADDRESS: stack!.server.address } },
  );
  expect(JSON.parse(status.stdout) as CampaignProgress).toMatchObject({ phase: 'completed' });
}, 120_000);
