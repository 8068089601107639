/**
 * `npm run temporal:dev`: the embedded Temporal dev server on localhost:7233 with its Web UI on :8233 and SQLite in
 * `.data/`, so past campaigns can be browsed. Ctrl-C stops it.
 */
import { defaultDbFile, startDevServer } from '../test/support/dev-server';

async function main(): Promise<void> {
  const server = await startDevServer({ dbFile: defaultDbFile, log: (line) => console.log(line) });
  if (!server.owned) return;
  console.log(`Temporal dev server on ${server.address}, Web UI at ${server.uiUrl}. Ctrl-C stops it.`);
  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', resolveStop);
    process.once('SIGTERM', resolveStop);
  });
  await server.stop();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
