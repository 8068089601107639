import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DCLinter } from 'dclint';
import { parse } from 'yaml';
import { campaignSearchAttributeNames } from '../../src/workflows/search-attributes';
import { ensureServerBinary, temporalCli } from '../support/temporal-servers';

/**
 * No Docker engine runs here, so docker-compose.yml is checked on paper: against the Compose specification's JSON
 * schema (dclint validates every file against it before its own rules), then for what the production stack must
 * be: pinned images of the Temporal the tests run, a worker that scales, the setup the product needs.
 */

const root = resolve(__dirname, '..', '..');
const composePath = join(root, 'docker-compose.yml');

/**
 * dclint's rules, its key- and service-ordering style rules off: the file is ordered by role (database, server,
 * setup, UI, workers, then the dev profile), which reads better than alphabetical order.
 */
const linter = new DCLinter({
  rules: { 'service-keys-order': 0, 'services-alphabetical-order': 0, 'top-level-properties-order': 0 },
  quiet: false,
  debug: false,
  exclude: [],
});

interface Service {
  image?: string;
  build?: string;
  profiles?: string[];
  container_name?: string;
  ports?: string[];
  env_file?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
  command?: string[] | string;
  stop_grace_period?: string;
  healthcheck?: unknown;
}

let services: Record<string, Service>;
let scratch: string;

beforeAll(async () => {
  const compose = parse(await readFile(composePath, 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
  };
  services = compose.services;
  scratch = await mkdtemp(join(tmpdir(), 'compose-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function lint(path: string) {
  const [result] = linter.lintFiles([path], false);
  return result!.messages.map((message) => `${message.line}: ${message.rule}: ${message.message}`);
}

test('docker-compose.yml is valid Compose and passes the linter', () => {
  expect(lint(composePath)).toEqual([]);
});

test.each([
  ['an unknown service key', (text: string) => text.replace('    env_file:', '    env_files:')],
  [
    'a depends_on condition Compose does not know',
    (text: string) => text.replace('condition: service_completed_successfully', 'condition: finished'),
  ],
  ['a misspelt top-level section', (text: string) => text.replace('\nvolumes:\n', '\nvolume:\n')],
])('a compose file with %s fails the schema check', async (_what, breakIt) => {
  const text = await readFile(composePath, 'utf8');
  const broken = breakIt(text);
  expect(broken).not.toBe(text);
  const path = join(scratch, 'docker-compose.yml');
  await writeFile(path, broken);
  expect(lint(path)).toEqual([expect.stringMatching(/invalid-schema/)]);
});

const production = () => Object.entries(services).filter(([, service]) => service.profiles === undefined);

test('the production stack: PostgreSQL, Temporal, its schema and setup steps, the Web UI and the worker', () => {
  expect(
    production()
      .map(([name]) => name)
      .sort(),
  ).toEqual(['postgresql', 'setup', 'temporal', 'temporal-schema', 'temporal-ui', 'worker'].sort());
  expect(services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
  expect(services.temporal!.depends_on).toEqual({
    'temporal-schema': { condition: 'service_completed_successfully' },
  });
  expect(services.setup!.depends_on).toEqual({ temporal: { condition: 'service_healthy' } });
  expect(services.temporal!.healthcheck).toBeDefined();
  expect(services.postgresql!.healthcheck).toBeDefined();
});

test('every image is pinned to a version, and Temporal’s are those of the temporal CLI the tests run', async () => {
  for (const [name, service] of Object.entries(services)) {
    if (service.build) continue;
    expect([name, service.image]).toEqual([name, expect.stringMatching(/^[\w./-]+:\d+(\.\d+){1,2}[\w.-]*$/)]);
  }
  const cli = await ensureServerBinary(temporalCli);
  const { stdout } = await promisify(execFile)(cli, ['--version']);
  const [, server, ui] = /Server ([\d.]+), UI ([\d.]+)/.exec(stdout) ?? [];
  expect(services.temporal!.image).toBe(`temporalio/server:${server}`);
  expect(services['temporal-schema']!.image).toBe(`temporalio/admin-tools:${server}`);
  expect(services.setup!.image).toBe(`temporalio/admin-tools:${server}`);
  expect(services['temporal-ui']!.image).toBe(`temporalio/ui:${ui}`);
  expect(services['dev-temporal']!.image).toBe(`temporalio/temporal:${temporalCli.version}`);
});

test('the worker is built from the Dockerfile, takes its secrets from .env and scales (no fixed name or port)', () => {
  const worker = services.worker!;
  expect(worker.build).toBe('.');
  expect(worker.image).toBeUndefined();
  expect(worker.env_file).toEqual(['.env']);
  expect(worker.container_name).toBeUndefined();
  expect(worker.ports).toBeUndefined();
  expect(worker.environment).toBeUndefined();
  expect(worker.depends_on).toEqual({ setup: { condition: 'service_completed_successfully' } });
  expect(worker.stop_grace_period).toBeDefined();
  // No production service has a fixed container name: a second stack or a scaled service would collide.
  expect(production().filter(([, service]) => service.container_name !== undefined)).toEqual([]);
});

test('setup registers the campaign’s search attributes as Keyword; the dev server starts with them', () => {
  const setup = readFileSync(join(root, 'deploy', 'temporal-setup.sh'), 'utf8');
  for (const name of campaignSearchAttributeNames) expect(setup).toMatch(new RegExp(`\\b${name}\\b`));
  expect(setup).toContain('--type Keyword');
  expect(setup).toContain('temporal operator namespace create');
  const dev = [services['dev-temporal']!.command].flat();
  for (const name of campaignSearchAttributeNames) expect(dev).toContain(`${name}=Keyword`);
});

test('the dev stack is a profile of its own, on the simulator', () => {
  const dev = Object.entries(services).filter(([, service]) => service.profiles?.includes('dev'));
  expect(dev.map(([name]) => name).sort()).toEqual(['dev-temporal', 'dev-worker', 'simulator']);
  expect(services['dev-worker']!.environment).toMatchObject({ BOLNA_BASE_URL: 'http://simulator:8787' });
});

test('the database password is never written in the file: it comes from .env, and is required', async () => {
  const text = await readFile(composePath, 'utf8');
  const uses = [...text.matchAll(/(POSTGRES_PASSWORD|POSTGRES_PWD|SQL_PASSWORD): (.*)$/gm)].map(
    ([, , value]) => value,
  );
  expect(uses.length).toBeGreaterThan(0);
  for (const value of uses) expect(value).toMatch(/^\$\{POSTGRES_PASSWORD:\?[^}]+\}$/);
});
