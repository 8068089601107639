import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { delimiter, dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { campaignSearchAttributeNames } from '../../src/workflows/search-attributes';
import { startDevServer } from '../support/dev-server';
import type { RunningDevServer } from '../support/dev-server';
import { ensureServerBinary, temporalCli } from '../support/temporal-servers';

/**
 * deploy/temporal-setup.sh, the script docker-compose.yml's `setup` service and `npm run rehearsal` both run, on a
 * real server: a namespace created a moment ago is not yet in the server's namespace cache, so a setup that added
 * the search attributes at once failed its first `up` ("Namespace … is not found", found by the rehearsal). The
 * dev server has the same cache, so it shows the same.
 */

const run = promisify(execFile);
const setupScript = resolve(__dirname, '..', '..', 'deploy', 'temporal-setup.sh');

let server: RunningDevServer;
let connection: Connection;
let cli: string;

beforeAll(async () => {
  cli = await ensureServerBinary(temporalCli);
  server = await startDevServer({ port: 0, searchAttributes: false });
  connection = await Connection.connect({ address: server.address });
}, 120_000);

afterAll(async () => {
  await connection?.close();
  // In memory: nothing to shut down cleanly for (see dev-stack.ts).
  await server?.stop({ signal: 'SIGKILL' });
});

function setUp(namespace: string) {
  return run('sh', [setupScript], {
    env: {
      PATH: `${dirname(cli)}${delimiter}${process.env.PATH ?? ''}`,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: namespace,
      NAMESPACE_RETENTION: '3d',
    },
  });
}

async function keywordAttributes(namespace: string): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  return Object.keys(customAttributes ?? {}).sort();
}

test('on a namespace that does not exist yet, setup creates it and every search attribute on the first run', async () => {
  const namespace = `setup-${randomUUID()}`;
  const first = await setUp(namespace);
  expect(first.stdout).toContain(`Namespace ${namespace} successfully registered`);
  expect(await keywordAttributes(namespace)).toEqual([...campaignSearchAttributeNames].sort());
  const { config } = await connection.workflowService.describeNamespace({ namespace });
  expect(Number(config?.workflowExecutionRetentionTtl?.seconds)).toBe(3 * 24 * 3600);

  // Run again (every `docker compose up`): nothing to create, nothing fails.
  const second = await setUp(namespace);
  expect(second.stdout).not.toMatch(/registered|added/);
  expect(await keywordAttributes(namespace)).toEqual([...campaignSearchAttributeNames].sort());
}, 120_000);
