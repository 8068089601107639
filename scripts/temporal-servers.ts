/**
 * `npm run temporal:install`: finds or installs the Temporal CLI (dev server) and the time-skipping test server into
 * `.cache/temporal/`, and prints their paths as JSON.
 */
import { ensureTemporalServers } from '../test/support/temporal-servers';

async function main(): Promise<void> {
  const paths = await ensureTemporalServers((line) => console.error(line));
  console.log(JSON.stringify(paths, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
