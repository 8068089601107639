import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  configurationReference,
  configurationReferencePath,
} from '../../scripts/docs/configuration-reference';
import { envSchema } from '../../src/config';

/** docs/configuration.md is what `npm run docs:config` makes of the schemas: a variable changed there shows here. */

test('docs/configuration.md is up to date with the configuration schemas (run `npm run docs:config`)', async () => {
  const written = await readFile(join(__dirname, '..', '..', configurationReferencePath), 'utf8');
  expect(written).toBe(configurationReference());
});

test('every variable of the worker is in the reference, with its default from the schema', () => {
  const reference = configurationReference();
  for (const name of Object.keys(envSchema.shape)) expect(reference).toContain(`| \`${name}\``);
  expect(reference).toMatch(/^\| `BOLNA_SCHEDULE_LEAD_SECONDS` +\| `120` +\|/m);
  expect(reference).toMatch(/^\| `BOLNA_WORKER_MAX_CACHED_WORKFLOWS` +\| `500` +\|/m);
});
