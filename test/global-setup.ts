import { ensureTemporalServers } from './support/temporal-servers';

/**
 * Installs (once, into .cache/) the Temporal servers the workflow and end-to-end tests run on, before jest starts
 * its workers in parallel, and hands their paths to every test file through the environment.
 */
export default async function globalSetup(): Promise<void> {
  const paths = await ensureTemporalServers((line) => console.log(line));
  process.env.TEMPORAL_CLI_PATH = paths.temporalCli;
  process.env.TEMPORAL_TEST_SERVER_PATH = paths.testServer;
}
