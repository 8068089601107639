import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * .env.example lists every variable: each one the product's code reads (its zod schemas' keys and its direct
 * `env.X` reads, under src/), each one the configuration reference (docs/configuration.md) names, and each one docker-compose.yml
 * interpolates. A new variable without its line here fails this test, so the list cannot drift.
 */

const root = resolve(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Names in .env.example, set (`NAME=`) or shown commented out (`# NAME=`). */
const listed = new Set(
  [...read('.env.example').matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map(([, name]) => name!),
);

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(folder, file));
}

const variablePattern = /^\s+((?:BOLNA|TEMPORAL)_[A-Z0-9_]+):|\benv\.((?:BOLNA|TEMPORAL)_[A-Z0-9_]+)/gm;

test('every variable the product reads is listed', () => {
  const read_ = new Set(
    sourceFiles('src').flatMap((file) =>
      [...read(file).matchAll(variablePattern)].map(([, key, access]) => (key ?? access)!),
    ),
  );
  // The worker's own schema at least: a pattern that stopped matching would pass with nothing to check.
  expect([...read_]).toEqual(
    expect.arrayContaining(['BOLNA_API_KEY', 'BOLNA_WORKFLOW_BUNDLE', 'BOLNA_PAYLOAD_KEY']),
  );
  expect([...read_].filter((name) => !listed.has(name))).toEqual([]);
});

test('every product variable of docs/configuration.md is listed (TEMPORAL_TLS_* by at least one)', () => {
  // The simulator's own variables, at the end, are not the product's: a deployment never sets them.
  const reference = read('docs/configuration.md');
  const table = reference.slice(0, reference.indexOf('\n## The simulator\n'));
  const names = [...table.matchAll(/^\| (`[^|]+)\|/gm)].flatMap(([, cell]) =>
    [...cell!.matchAll(/`([A-Z][A-Z0-9_]*\*?)`/g)].map(([, name]) => name!),
  );
  expect(names.length).toBeGreaterThan(15);
  const missing = names.filter((name) =>
    name.endsWith('*')
      ? ![...listed].some((entry) => entry.startsWith(name.slice(0, -1)))
      : !listed.has(name),
  );
  expect(missing).toEqual([]);
});

test('every variable docker-compose.yml takes from .env is listed', () => {
  const interpolated = [...read('docker-compose.yml').matchAll(/(?<!\$)\$\{([A-Z][A-Z0-9_]*)/g)].map(
    ([, name]) => name!,
  );
  expect(interpolated).toContain('POSTGRES_PASSWORD');
  expect(interpolated.filter((name) => !listed.has(name))).toEqual([]);
});

test('no secret has a value in the example', () => {
  const secrets = [
    'POSTGRES_PASSWORD',
    'BOLNA_API_KEY',
    'TEMPORAL_API_KEY',
    'BOLNA_PAYLOAD_KEY',
    'BOLNA_CODEC_SERVER_TOKEN',
  ];
  for (const name of secrets) {
    expect([name, new RegExp(`^#? ?${name}=(.*)$`, 'm').exec(read('.env.example'))?.[1]]).toEqual([name, '']);
  }
});
