import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities';
import { BolnaClient } from '../../src/bolna/client';
import { BolnaBadRequestError, BolnaRateLimitedError } from '../../src/bolna/errors';
import type { BolnaError } from '../../src/bolna/errors';
import { startSimulator } from '../../simulator/server';
import type { RunningSimulator } from '../../simulator/server';
import { testActivityDeps } from '../support/activity-deps';
import { testAgentId as agentId, testApiKey as apiKey } from '../support/constants';
import { ManualClock } from '../support/manual-clock';

/**
 * The client against the simulator's readings of Bolna's spec: `batch_id` sent in the schedule body, integer
 * error codes not repeated as Bolna's message, and a 429 without Retry-After left to Temporal's own backoff.
 */

const start = Date.parse('2026-06-23T11:55:00Z');

let simulator: RunningSimulator;
let client: BolnaClient;
let dir: string;
let csvPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bolna-client-spec-'));
  csvPath = join(dir, 'contacts.csv');
  await writeFile(csvPath, 'contact_number,name\n+919876543210,Asha\n');
});
beforeEach(async () => {
  simulator = await startSimulator({ apiKey, clock: new ManualClock(start) });
  client = new BolnaClient({ apiKey, baseUrl: simulator.url });
});
afterEach(async () => simulator.close());
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

test('schedule sends batch_id in the body too, so a spec-strict Bolna accepts it', async () => {
  simulator.settings.variants.scheduleBatchIdField = 'required';
  const { batch_id: batchId } = await client.createBatch({ agentId, csvPath, fileName: 'c.csv' });
  await client.scheduleBatch(batchId, { scheduledAt: new Date(start + 5 * 60_000) });
  const schedule = simulator.requests.find((r) => r.path === `/batches/${batchId}/schedule`);
  expect(schedule).toMatchObject({ status: 200, fields: { batch_id: batchId } });
});

test('an integer error code (the status again) is not repeated as Bolna’s message', async () => {
  const { batch_id: batchId } = await client.createBatch({ agentId, csvPath, fileName: 'c.csv' });
  const error = await failure(client.scheduleBatch(batchId, { scheduledAt: new Date(start + 60_000) }));
  expect(error).toBeInstanceOf(BolnaBadRequestError);
  expect((error as BolnaError).bolnaMessage).toBe('scheduled_at must be at least 2 minutes in the future');
  expect((error as BolnaError).message).toMatch(/→ 400\): scheduled_at must be/);
});

test('a 429 without Retry-After is a retryable failure with no delay of its own: Temporal’s backoff applies', async () => {
  simulator.settings.variants.retryAfterHeader = 'omitted';
  simulator.injectFault({ path: /^\/batches\//, kind: 'rate-limit', retryAfterSeconds: 30 });
  const { batch_id: batchId } = await client.createBatch({ agentId, csvPath, fileName: 'c.csv' });
  const direct = await failure(client.getBatch(batchId));
  expect(direct).toBeInstanceOf(BolnaRateLimitedError);
  expect((direct as BolnaRateLimitedError).retryAfterMs).toBeUndefined();

  simulator.injectFault({ path: /^\/batches\//, kind: 'rate-limit', retryAfterSeconds: 30 });
  const { getBatch } = createActivities(
    testActivityDeps({ bolna: client, clock: new ManualClock(start), resultsDir: dir }),
  );
  const viaActivity = await failure(new MockActivityEnvironment().run(getBatch, batchId));
  expect(viaActivity).toBeInstanceOf(ApplicationFailure);
  expect(viaActivity).toMatchObject({ type: 'BolnaRateLimitedError', nonRetryable: false });
  expect((viaActivity as ApplicationFailure).nextRetryDelay).toBeUndefined();
  expect(simulator.requests.filter((r) => r.status === 429).map((r) => r.retryAfterSeconds)).toStrictEqual([
    undefined,
    undefined,
  ]);
});
