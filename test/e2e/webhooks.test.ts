import { request } from 'undici';
import { webhookToken, webhookUrl } from '../../src/webhooks/token';
import { progressQuery } from '../../src/workflows/definitions';
import { installQuietRuntime } from '../support/quiet-runtime';
import { waitFor } from '../support/wait-for';
import { startWebhookBench } from '../support/webhook-bench';
import type { WebhookBench } from '../support/webhook-bench';

/**
 * Push, not poll, end to end: the dev server, the simulator delivering batch webhooks over loopback, the webhook
 * receiver signalling campaigns, and a worker with BOLNA_WEBHOOK_BASE_URL beside one without (its polling twin).
 * Its four campaigns run one after another, so Bolna's rules are shrunk further than `fastRules` (2 s lead and
 * rounding, not 5 s and 10 s): each waits ~4 s for its start instead of ~11 s. Nothing here is about the rounding,
 * which test/activities/schedule-time.test.ts and test/simulator/schedule-rules.test.ts check.
 */

const rows = 6;
/** The polling twin's interval; the pushed campaign is given the same and falls back to its safety net. */
const pollIntervalSeconds = 5;

let bench: WebhookBench;

beforeAll(async () => {
  installQuietRuntime();
  bench = await startWebhookBench({
    name: 'webhooks-e2e',
    rows,
    rules: { minLeadMs: 2_000, roundingMs: 2_000 },
    simulator: {
      calls: { concurrency: 3, ringMs: 300, talkMs: { min: 2_000, max: 4_000 }, postProcessingMs: 1_000 },
      webhooks: { retryDelayMs: 200 },
    },
  });
}, 120_000);

afterAll(async () => {
  await bench?.close();
});

const webhookSettings = () => bench.stack.simulator.settings.webhooks;
const deliveriesOf = (batchId: string | undefined) =>
  bench.stack.simulator.webhookDeliveries.filter((delivery) => delivery.batchId === batchId);

test('pushed, completion is seen within 5 s of the last call, with fewer Bolna requests than polling', async () => {
  const polling = await bench.run('polling', { pollIntervalSeconds });
  const pushed = await bench.run('pushed', { pollIntervalSeconds });

  for (const run of [polling, pushed]) {
    expect(run.result).toMatchObject({ outcome: 'completed', totalCalls: rows, missingRows: 0 });
  }
  expect(pushed.progress.webhooks).toBe(true);
  expect(polling.progress.webhooks).toBeUndefined();
  expect(deliveriesOf(pushed.result.batchId).map((d) => d.outcome)).toEqual([202, 202]);
  expect(deliveriesOf(polling.result.batchId)).toEqual([]);

  expect(pushed.detectionDelayMs).toBeLessThan(5_000);
  expect(pushed.polls).toBeLessThan(polling.polls);
  const total = (requests: Record<string, number>) => Object.values(requests).reduce((a, b) => a + b, 0);
  expect(total(pushed.requests)).toBeLessThan(total(polling.requests));

  // The token is worker-side only: never in the campaign's history.
  const history = JSON.stringify(
    await bench.stack.client.workflow.getHandle(pushed.workflowId).fetchHistory(),
  );
  expect(history).not.toContain(webhookToken(bench.secret, pushed.workflowId));
  expect(history).not.toContain(bench.secret);
}, 180_000);

test('webhooks delivered twice, and one for another batch, change nothing: no extra poll, one warning', async () => {
  webhookSettings().delivery = 'twice';
  try {
    const forgedUrl = (workflowId: string) => webhookUrl(bench.receiverUrl, bench.secret, workflowId);
    const run = await bench.run('pushed', { pollIntervalSeconds }, async (workflowId) => {
      const handle = bench.stack.client.workflow.getHandle(workflowId);
      await waitFor(
        'the campaign to run',
        async () => (await handle.query(progressQuery)).phase === 'running',
      );
      const forged = await request(forgedUrl(workflowId), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ batch_id: 'ffffffffffffffffffffffffffffffff', status: 'completed' }),
      });
      expect(forged.statusCode).toBe(202);
      await forged.body.dump();
    });
    expect(run.result).toMatchObject({ outcome: 'completed', totalCalls: rows });
    const delivered = deliveriesOf(run.result.batchId);
    expect(delivered.map((d) => d.outcome)).toEqual([202, 202, 202, 202]);
    // The first poll at the start, and one to confirm the (single, repeated) report: the repeats cost nothing.
    expect(run.polls).toBe(2);
    expect(run.progress.webhookReports).toHaveLength(1);
    expect(run.progress.warnings).toEqual([
      "a webhook named another batch than the campaign's: it was ignored",
    ]);
  } finally {
    webhookSettings().delivery = 'once';
  }
}, 180_000);

test('webhooks lost, the safety-net poll still sees the batch finish, and every result is collected', async () => {
  webhookSettings().lossRate = 1;
  try {
    const run = await bench.run('pushed', { pollIntervalSeconds: 1, webhookPollSeconds: 2 });
    expect(run.result).toMatchObject({ outcome: 'completed', totalCalls: rows, missingRows: 0 });
    expect(deliveriesOf(run.result.batchId).map((d) => d.outcome)).toEqual(['lost', 'lost']);
    expect(run.progress.webhookReports).toBeUndefined();
    expect(run.detectionDelayMs).toBeLessThan(2_000 + 1_000);
  } finally {
    webhookSettings().lossRate = 0;
  }
}, 180_000);
