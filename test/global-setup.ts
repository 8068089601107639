import { ensureChromium } from './support/chromium';
import { ensureMotoServer } from './support/object-store-server';
import { ensureTemporalServers } from './support/temporal-servers';
import { writeRunWorkflowBundle } from './support/workflow-bundle';

/**
 * Installs (once, into .cache/) the Temporal servers the workflow and end-to-end tests run on, and moto's
 * S3-compatible server, before jest starts its workers in parallel, and hands the Temporal servers' paths to every
 * test file through the environment. Chromium for the browser checks too, so that two browser test files never run
 * apt-get at once. And the workflows, bundled once for every in-process test worker (support/workflow-bundle.ts):
 * removed again by test/global-teardown.ts.
 */
export default async function globalSetup(): Promise<void> {
  await writeRunWorkflowBundle();
  const paths = await ensureTemporalServers((line) => console.log(line));
  process.env.TEMPORAL_CLI_PATH = paths.temporalCli;
  process.env.TEMPORAL_TEST_SERVER_PATH = paths.testServer;
  // The S3-compatible server of the object-store tests, installed once before test files start it in parallel.
  await ensureMotoServer((line) => console.log(line));
  // Without root Chromium cannot be installed here; the browser checks then fail saying what to run, and every
  // other suite still runs.
  await ensureChromium({ log: (line) => console.log(line) }).catch((error: unknown) =>
    console.log(`The browser checks will fail: ${error instanceof Error ? error.message : String(error)}`),
  );
}
