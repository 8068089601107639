import { readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { defaultWorkflowBundleFolder } from '../../src/temporal/workflow-bundle';
import { readDockerStages, runtimeStage } from '../support/dockerfile';

/**
 * No Docker engine runs here, so the image is checked on paper: its commands are package.json's own scripts (which
 * the tests run), it installs production dependencies only, runs as a non-root user from a pinned base image, and
 * its command is the package's worker bin with the prebuilt workflow bundle. test/deploy/production-install.test.ts runs
 * the same install and the same command.
 */

const root = resolve(__dirname, '..', '..');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  bin: Record<string, string>;
};
const stages = readDockerStages();
const runtime = runtimeStage(stages);
const build = stages[0]!;

test('two stages on the same pinned Node base image, of the major version the project runs on', () => {
  expect(stages.map((stage) => stage.name)).toEqual(['build', 'runtime']);
  for (const stage of stages) {
    expect(stage.image).toBe('node');
    expect(stage.tag).toMatch(/^\d+\.\d+\.\d+-bookworm-slim$/);
    expect(stage.tag).toBe(build.tag);
  }
  expect(build.tag!.split('.')[0]).toBe(process.versions.node.split('.')[0]);
});

test('every npm script the image runs exists, and the build stage builds dist/ and then the workflow bundle', () => {
  const scriptsRun = stages.flatMap((stage) =>
    stage.commands.filter(([tool, verb]) => tool === 'npm' && verb === 'run').map((command) => command[2]!),
  );
  expect(scriptsRun.length).toBeGreaterThan(0);
  for (const script of scriptsRun) expect(Object.keys(packageJson.scripts)).toContain(script);
  // `build` empties dist/ first, so the bundle written into dist/ must come after it.
  expect(build.commands).toContainEqual(['npm', 'ci', '--no-audit', '--no-fund']);
  const order = build.commands.map((command) => command.join(' '));
  expect(order.indexOf('npm run build')).toBeGreaterThan(-1);
  expect(order.indexOf('npm run build:workflow-bundle')).toBeGreaterThan(order.indexOf('npm run build'));
});

test('the runtime stage installs production dependencies only and takes the build’s dist/ alone', () => {
  const installs = runtime.commands.filter(([tool, verb]) => tool === 'npm' && verb === 'ci');
  expect(installs).toHaveLength(1);
  expect(installs[0]).toContain('--omit=dev');
  expect(installs[0]).toContain('--ignore-scripts');
  // Nothing is built or run with development tools in the image that ships.
  expect(runtime.commands.filter(([tool, verb]) => tool === 'npx' || verb === 'run')).toEqual([]);
  expect(runtime.copiedFromStages).toEqual([`build:${posix.join(build.workdir!, 'dist')}`]);
});

test('the image runs the package’s worker bin as a non-root user, from the prebuilt bundle', () => {
  expect(runtime.user).toBeDefined();
  expect(['root', '0']).not.toContain(runtime.user);
  expect(runtime.cmd).toEqual(['node', packageJson.bin['bolna-campaign-worker']]);
  // The bundle folder is where `npm run build:workflow-bundle` writes by default, under the copied dist/.
  expect(defaultWorkflowBundleFolder.startsWith('dist/')).toBe(true);
  expect(runtime.env.BOLNA_WORKFLOW_BUNDLE).toBe(posix.join(runtime.workdir!, defaultWorkflowBundleFolder));
  expect(runtime.env.NODE_ENV).toBe('production');
});

test('the build context leaves out secrets and local installs', () => {
  const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
  for (const entry of ['.env', '.env.*', 'node_modules', 'dist', '.git']) expect(ignored).toContain(entry);
});
