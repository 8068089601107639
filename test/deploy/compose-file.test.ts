import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { hostPathOf, interpolate, readComposeFile } from '../../scripts/rehearsal/compose-file';

/**
 * How `npm run rehearsal` reads docker-compose.yml: Compose's interpolation, and each service's environment,
 * entrypoint and bind mounts, so that the rehearsal runs exactly the scripts and settings the compose file gives
 * its services.
 */

test('interpolation: a default, a required variable, a literal $', () => {
  expect(interpolate('${A:-x}-${B:-y}', { A: 'a', B: '' })).toBe('a-y');
  expect(interpolate('$${HOME} ${A}', { A: 'a' })).toBe('${HOME} a');
  expect(() => interpolate('${SECRET:?set SECRET in .env}', {})).toThrow(
    'docker-compose.yml needs SECRET: set SECRET in .env',
  );
});

const variables = { POSTGRES_PASSWORD: 'pw-from-env', TEMPORAL_NAMESPACE: 'campaigns' };

test('the server gets its database settings and a dynamic config file that exists in the project', async () => {
  const compose = await readComposeFile(variables);
  const temporal = compose.service('temporal');
  expect(temporal.environment).toMatchObject({
    DB: 'postgres12',
    POSTGRES_USER: 'temporal',
    POSTGRES_PWD: 'pw-from-env',
  });
  // The server image ships none and refuses to start without one (found by the rehearsal).
  const dynamicConfig = hostPathOf(temporal, temporal.environment.DYNAMIC_CONFIG_FILE_PATH!);
  expect(existsSync(dynamicConfig)).toBe(true);
  expect(() => parse(readFileSync(dynamicConfig, 'utf8')) as unknown).not.toThrow();
  expect(compose.imageVersion('temporal')).toMatch(/^\d+\.\d+\.\d+$/);
});

test('the one-shot services run the project’s deploy scripts, the ones the rehearsal runs', async () => {
  const compose = await readComposeFile(variables);
  for (const [name, script] of [
    ['temporal-schema', 'deploy/temporal-schema.sh'],
    ['setup', 'deploy/temporal-setup.sh'],
  ] as const) {
    const service = compose.service(name);
    expect(service.entrypoint[0]).toBe('sh');
    expect(hostPathOf(service, service.entrypoint[1]!)).toMatch(new RegExp(`/${script}$`));
    expect(existsSync(hostPathOf(service, service.entrypoint[1]!))).toBe(true);
  }
  expect(compose.service('setup').environment.TEMPORAL_NAMESPACE).toBe('campaigns');
});

test('a service the file does not have, and a path outside every mount, are refused by name', async () => {
  const compose = await readComposeFile(variables);
  expect(() => compose.service('nope')).toThrow("docker-compose.yml has no service 'nope'");
  expect(() => hostPathOf(compose.service('temporal'), '/etc/passwd')).toThrow('/etc/passwd is not under');
});
