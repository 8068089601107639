import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { failureCatalogue, failureTypes } from '../../src/platform/failures';

/** The table of failures in docs/failures.md and the catalogue in src/platform/failures.ts say the same thing. */

test('every failure type is a constant named after itself', () => {
  for (const [name, value] of Object.entries(failureTypes)) expect(value).toBe(name);
  expect(Object.keys(failureTypes)).toEqual(Object.keys(failureCatalogue));
});

test('the failure table of docs/failures.md lists every type once, with whether it is retried', async () => {
  const readme = await readFile(join(__dirname, '..', '..', 'docs', 'failures.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `([A-Za-z]+)` +\|.*\| (yes|no) +\|.*\|$/gm)].map(
    ([, type, retried]) => [type, retried === 'yes'],
  );
  expect(rows).toEqual(Object.entries(failureCatalogue).map(([type, info]) => [type, info.retried]));
});
