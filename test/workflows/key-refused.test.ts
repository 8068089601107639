import { progressQuery } from '../../src/workflows/definitions';
import { lifelikeCalls } from '../support/constants';
import { waitFor } from '../support/wait-for';
import { startWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';
import {
  applicationFailureOf,
  campaignInput,
  startCampaignWorkflow,
  uniqueWorkflowId,
  waitForPhase,
} from '../support/workflow-steps';

/**
 * A key revoked or rotated while the batch is calling: the campaign must not walk away from a batch that keeps
 * calling. It keeps trying, says so in `progress`, picks up again once workers hold the new key, and only after
 * `keyRefusedRetryMinutes` fails, naming the batch.
 */

const minute = 60_000;
const rotatedKey = 'bn-rotated-key-after-a-leak-0123456789';
let harness: WorkflowHarness;

beforeAll(async () => {
  harness = await startWorkflowHarness({ calls: lifelikeCalls });
});

afterAll(async () => {
  await harness?.close();
});

afterEach(() => harness.simulator.setApiKey(harness.apiKey));

function untilKeyRefused(handle: Awaited<ReturnType<typeof startCampaignWorkflow>>) {
  return waitFor(
    'the campaign to report the refused key',
    async () => {
      const progress = await handle.query(progressQuery);
      return progress.keyRefusedSince ? progress : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );
}

test('a key revoked mid-campaign: visible retries until Bolna takes the key again, then the campaign completes', async () => {
  const worker = await harness.newWorker();
  const handle = await startCampaignWorkflow(harness, uniqueWorkflowId(), await campaignInput(harness, 3));
  const { refused, result, progress } = await worker.runUntil(async () => {
    const waiting = await waitForPhase(handle, 'waiting');
    harness.simulator.setApiKey(rotatedKey);
    await harness.env.sleep(Date.parse(waiting.startsAt!) + 5 * minute - (await harness.clock.now()));
    const whileRefused = await untilKeyRefused(handle);
    // The operator sorts the key out (in production: restarts the workers with the new one).
    harness.simulator.setApiKey(harness.apiKey);
    return {
      refused: whileRefused,
      result: await handle.result(),
      progress: await handle.query(progressQuery),
    };
  });
  expect(refused.phase).toBe('running');
  expect(refused.error).toMatch(/Bolna refuses the API key .*BOLNA_API_KEY/);
  expect(refused.error).toContain(refused.batchId);
  expect(result.outcome).toBe('completed');
  expect(result.totalCalls).toBe(3);
  expect(progress.error).toBeUndefined();
  expect(progress.keyRefusedSince).toBeUndefined();
});

test('a key never fixed: after keyRefusedRetryMinutes the campaign fails naming the batch it could not stop', async () => {
  const worker = await harness.newWorker();
  const handle = await startCampaignWorkflow(
    harness,
    uniqueWorkflowId(),
    await campaignInput(harness, 3, { keyRefusedRetryMinutes: 20 }),
  );
  const { failure, progress } = await worker.runUntil(async () => {
    await waitForPhase(handle, 'waiting');
    harness.simulator.setApiKey(rotatedKey);
    return {
      failure: applicationFailureOf(await handle.result().catch((error: unknown) => error)),
      progress: await handle.query(progressQuery),
    };
  });
  expect(failure).toMatchObject({ type: 'BolnaAuthError', nonRetryable: true });
  expect(failure?.message).toMatch(/refused the API key since .* for over 20 minutes/);
  expect(failure?.message).toContain(`batch ${progress.batchId}: left at Bolna and possibly still calling`);
  expect(progress.phase).toBe('failed');
  const refusals = harness.simulator.requests.filter(
    (request) => request.status === 403 && request.batchId === progress.batchId,
  );
  expect(refusals.at(-1)!.at - refusals[0]!.at).toBeGreaterThanOrEqual(19 * minute);
});
