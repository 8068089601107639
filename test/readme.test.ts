import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The README's map leads somewhere: every link to a file or folder of the project exists. */

test('every local link in the README names a file or folder that exists', async () => {
  const root = join(__dirname, '..');
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(((?!https?:|#)[^)#\s]+)\)/g)].map(([, target]) => target!);
  expect(links.length).toBeGreaterThan(20);
  const missing: string[] = [];
  for (const link of links) await access(join(root, link)).catch(() => missing.push(link));
  expect(missing).toEqual([]);
});
