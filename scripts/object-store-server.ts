/**
 * `npm run s3:install`: finds or installs moto's S3-compatible server (the object-store tests' server) into
 * `.cache/moto/`, and prints the Python that runs it (`<python> -m moto.server -H 127.0.0.1 -p 5000`).
 */
import { ensureMotoServer } from '../test/support/object-store-server';

async function main(): Promise<void> {
  console.log(await ensureMotoServer((line) => console.error(line)));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
