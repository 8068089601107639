import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { testApiKey } from '../support/constants';
import { startDevServer } from '../support/dev-server';
import { runtimeStage } from '../support/dockerfile';
import { spawnWorker } from '../support/worker-process';

/**
 * What ships is the product only: the build emits `src/` and nothing else, and a production install (the
 * Dockerfile's own `npm ci --omit=dev`) runs the CLI and the worker without the simulator or any development
 * dependency, the worker as the image's CMD does: from the prebuilt workflow bundle.
 */

const run = promisify(execFile);
const root = resolve(__dirname, '..', '..');
const image = runtimeStage();
let installed: string;

beforeAll(async () => {
  const folder = await mkdtemp(join(tmpdir(), 'production-install-'));
  installed = folder;
  // The build and the install touch different folders (dist/, node_modules/): they run at once.
  const build = run(join(root, 'node_modules', '.bin', 'tsc'), [
    '-p',
    join(root, 'tsconfig.build.json'),
    '--outDir',
    join(folder, 'dist'),
  ]);
  const install = (async () => {
    for (const file of ['package.json', 'package-lock.json']) {
      await copyFile(join(root, file), join(folder, file));
    }
    // The image's install, from npm's cache where the project's own `npm ci` left the packages (a package whose
    // metadata is not cached there is fetched from the registry).
    const npmCi = image.commands.find(([tool, verb]) => tool === 'npm' && verb === 'ci')!;
    await run(npmCi[0]!, [...npmCi.slice(1), '--prefer-offline'], { cwd: folder });
  })();
  await Promise.all([build, install]);
}, 180_000);

afterAll(async () => {
  if (installed) await rm(installed, { recursive: true, force: true });
});

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

test('the build emits the product only', async () => {
  const emitted = (await filesUnder(join(installed, 'dist'))).map((file) => file.slice(installed.length));
  expect(emitted).toContain('/dist/worker.js');
  expect(emitted).toContain('/dist/workflows/index.js');
  expect(emitted.filter((file) => /simulator|\/test\/|\/scripts\//.test(file))).toEqual([]);
});

test('a production install has no development dependency, the simulator’s busboy included', async () => {
  const modules = await readdir(join(installed, 'node_modules'));
  for (const devOnly of ['busboy', 'jest', 'typescript', 'tsx']) expect(modules).not.toContain(devOnly);
  expect(modules).toContain('@temporalio');
  expect(await readdir(join(installed, 'node_modules', '@temporalio'))).not.toContain('testing');
});

test('the CLI and the worker run from the production install', async () => {
  const cli = await run(process.execPath, ['dist/starter.js', '--help'], { cwd: installed });
  expect(cli.stdout).toMatch(/start .*\n(.|\n)*stop/);
  // Without a key the worker stops at start-up, naming the variable: every module it loads has loaded.
  const env = { PATH: process.env.PATH ?? '' };
  const worker = await run(process.execPath, ['dist/worker.js'], { cwd: installed, env }).catch(
    (error: { code: number; stderr: string }) => error,
  );
  expect(worker).toMatchObject({
    code: 1,
    stderr: expect.stringMatching(/BOLNA_API_KEY is not set/) as string,
  });
});

test('the image’s command runs the worker from the prebuilt bundle, and SIGTERM stops it cleanly', async () => {
  // The image's build step, into this install; its environment with the image's folder (WORKDIR) mapped here.
  await run('npm', ['run', 'build:workflow-bundle', '--', join(installed, 'dist', 'workflow-bundle')], {
    cwd: root,
  });
  const imageEnv = Object.fromEntries(
    Object.entries(image.env).map(([name, value]) => [name, value.replace(image.workdir!, installed)]),
  );
  const server = await startDevServer({ port: 0 });
  try {
    const [command, ...args] = image.cmd!;
    expect(command).toBe('node');
    const worker = spawnWorker(
      'image',
      {
        PATH: process.env.PATH ?? '',
        ...imageEnv,
        BOLNA_API_KEY: testApiKey,
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_TASK_QUEUE: `production-install-${Date.now().toString(36)}`,
      },
      { command: process.execPath, args, cwd: installed },
    );
    await worker.ready();
    expect(worker.output()).toContain(join(installed, 'dist', 'workflow-bundle', 'workflows.js'));
    await worker.stop();
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  } finally {
    await server.stop();
  }
}, 120_000);
