import { ensureChromium } from './support/chromium';
import { ensureTemporalServers } from './support/temporal-servers';

/**
 * Installs (once, into .cache/) the Temporal servers the workflow and end-to-end tests run on, before jest starts
 * its workers in parallel, and hands their paths to every test file through the environment. Chromium for the
 * browser checks too, so that two browser test files never run apt-get at once.
 */
export default async function globalSetup(): Promise<void> {
  const paths = await ensureTemporalServers((line) => console.log(line));
  process.env.TEMPORAL_CLI_PATH = paths.temporalCli;
  process.env.TEMPORAL_TEST_SERVER_PATH = paths.testServer;
  // Without root Chromium cannot be installed here; the browser checks then fail saying what to run, and every
  // other suite still runs.
  await ensureChromium({ log: (line) => console.log(line) }).catch((error: unknown) =>
    console.log(`The browser checks will fail: ${error instanceof Error ? error.message : String(error)}`),
  );
}
