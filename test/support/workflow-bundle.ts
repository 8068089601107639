import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

/**
 * The campaign workflows bundled once per jest run (test/global-setup.ts), for every in-process test worker of
 * every file: webpack takes 1–3 s a bundle, and the suite bundled some two dozen times a run (once per harness
 * file, once per dev-stack worker). The bundle is built from the source when the run starts, as each file's own
 * bundle was; a worker with a data converter still bundles its own (its failure converter goes in the bundle).
 * Spawned worker processes (`npm run worker`) bundle at start as users' do.
 */

/** Where the run's bundle is (set by the global setup; unset outside jest, e.g. in the benchmark scripts). */
const bundleVariable = 'BOLNA_TEST_WORKFLOW_BUNDLE';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

/** The workflows bundled now (bundling takes seconds). */
function bundleCampaignWorkflows(): Promise<{ code: string }> {
  return bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: quiet });
}

/** Bundles the workflows into a temporary file, named in the environment the run's test files inherit. */
export async function writeRunWorkflowBundle(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'campaign-workflow-bundle-'));
  const path = join(folder, 'workflows.js');
  await writeFile(path, (await bundleCampaignWorkflows()).code);
  process.env[bundleVariable] = path;
}

/** Removes the run's bundle (the global teardown, in the process the setup ran in). */
export async function removeRunWorkflowBundle(): Promise<void> {
  const path = process.env[bundleVariable];
  if (path) await rm(dirname(path), { recursive: true, force: true });
}

/** The run's bundle when there is one (under jest), otherwise undefined: the worker bundles at start. */
export function runWorkflowBundle(): { codePath: string } | undefined {
  const codePath = process.env[bundleVariable];
  return codePath ? { codePath } : undefined;
}

/** The run's bundle, or one bundled now (a test file run outside jest's global setup). */
export async function sharedWorkflowBundle(): Promise<{ code: string } | { codePath: string }> {
  return runWorkflowBundle() ?? (await bundleCampaignWorkflows());
}
