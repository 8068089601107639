import { DefaultLogger } from '@temporalio/worker';
import type { LogEntry } from '@temporalio/worker';
import { startSimulator } from '../../simulator/server';
import type { RunningSimulator } from '../../simulator/server';
import { checkBolnaAccessActivity } from '../../src/activities/check-access';
import { withFailureMapping } from '../../src/activities/failures';
import { BolnaClient } from '../../src/bolna/client';
import { Redactor } from '../../src/platform/redaction';
import { failureOf, inActivity } from '../support/activity-context';
import { testAgentId as agentId, testApiKey as apiKey, wrongApiKey } from '../support/constants';
import { serveOnLoopback } from '../support/loopback-server';

/**
 * The access check against the simulator: only a refused key (401/403) blocks a campaign; the account endpoint
 * missing or failing in any other way is a warning, and the agent listing still proves the key.
 */

let simulator: RunningSimulator;
let warnings: LogEntry[];
beforeEach(async () => {
  simulator = await startSimulator({ apiKey, calls: { concurrency: 7 } });
  warnings = [];
});
afterEach(async () => simulator.close());

function checkAccess(baseUrl = simulator.url, key = apiKey) {
  const activity = withFailureMapping(
    checkBolnaAccessActivity({
      bolna: new BolnaClient({ apiKey: key, baseUrl, headersTimeoutMs: 2_000 }),
    }),
    new Redactor([key]),
  );
  const logger = new DefaultLogger('WARN', (entry) => warnings.push(entry));
  return inActivity(activity, { logger }, agentId);
}

const requestsTo = (path: string) => simulator.requests.filter((r) => r.path === path);

test('a working key returns what the account told: its concurrency', async () => {
  expect(await checkAccess()).toEqual({ concurrency: 7 });
  expect(warnings).toEqual([]);
});

test.each([
  ['missing (404)', () => (simulator.settings.variants.accountEndpoint = 'missing')],
  ['failing (503)', () => simulator.injectFault({ path: '/user/me', kind: 'server-error', status: 503 })],
  ['unreachable (connection dropped)', () => simulator.injectFault({ path: '/user/me', kind: 'drop' })],
  [
    'too slow (timed out)',
    () => simulator.injectFault({ path: '/user/me', kind: 'latency', latencyMs: 3_000 }),
  ],
])('an account endpoint %s is a warning, asked once, and the agent check goes on', async (_what, arrange) => {
  arrange();
  expect(await checkAccess()).toEqual({});
  expect(requestsTo('/user/me')).toHaveLength(1);
  expect(requestsTo(`/batches/${agentId}/all`).map((r) => r.status)).toEqual([200]);
  expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(/Could not read the Bolna account/)]);
  expect(JSON.stringify(warnings.map((w) => [w.message, w.meta]))).not.toContain(apiKey);
});

test('an account answer that breaks the contract is a warning too', async () => {
  const odd = await serveOnLoopback((req, res) => {
    const body = req.url === '/user/me' ? '<html>maintenance</html>' : '[]';
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  try {
    expect(await checkAccess(odd.url)).toEqual({});
    expect(warnings.map((w) => String(w.meta?.error))).toEqual([expect.stringMatching(/not JSON/)]);
  } finally {
    await odd.close();
  }
});

test('a key the account endpoint refuses as Bolna’s spec says (401 "Access denied") blocks the campaign', async () => {
  simulator.settings.variants.accountKeyRefusal = '401';
  const failure = await failureOf(checkAccess(simulator.url, wrongApiKey));
  expect(failure).toMatchObject({ type: 'BolnaAuthError', nonRetryable: true });
  expect(failure.message).toContain('(GET /user/me → 401): Access denied');
  expect(failure.message).not.toContain(wrongApiKey);
  expect(requestsTo(`/batches/${agentId}/all`)).toEqual([]);
});

test('with the account endpoint missing, a bad key is still caught by the agent listing', async () => {
  simulator.settings.variants.accountEndpoint = 'missing';
  const failure = await failureOf(checkAccess(simulator.url, wrongApiKey));
  expect(failure).toMatchObject({ type: 'BolnaAuthError', nonRetryable: true });
  expect(failure.message).toContain(`GET /batches/${agentId}/all → 403`);
});
