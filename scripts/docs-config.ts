import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configurationReference, configurationReferencePath } from './docs/configuration-reference';

/** `npm run docs:config`: writes docs/configuration.md from the configuration schemas. */

async function main(): Promise<void> {
  await writeFile(join(__dirname, '..', configurationReferencePath), configurationReference());
  console.log(`wrote ${configurationReferencePath}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
