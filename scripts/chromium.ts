/**
 * `npm run browser:install`: finds or installs (Debian's `chromium`, with apt-get, as root) the headless Chromium the
 * browser checks drive, and prints its path.
 */
import { ensureChromium } from '../test/support/chromium';

async function main(): Promise<void> {
  console.log(await ensureChromium({ log: (line) => console.error(line) }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
