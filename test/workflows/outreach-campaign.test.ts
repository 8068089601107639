import { readFile } from 'node:fs/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { outreachCampaign } from '../../src/workflows/outreach-campaign';
import type { OutreachInput } from '../../src/workflows/outreach-definitions';
import { contactsCsv, lifelikeCalls, testAgentId } from '../support/constants';
import { startWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';
import { uniqueWorkflowId } from '../support/workflow-steps';

/**
 * Outreach campaigns over several waves on the time-skipping server with Bolna's real rules (2-minute lead,
 * 10-minute rounding): the simulator's batches move on the test server's clock, so hours pass in seconds.
 */

const minute = 60_000;
const hour = 60 * minute;
let harness: WorkflowHarness;

beforeAll(async () => {
  harness = await startWorkflowHarness({
    calls: { ...lifelikeCalls, outcomes: { completed: 1, 'no-answer': 1 } },
  });
  await harness.runWorker();
});

afterAll(async () => {
  await harness?.close();
});

async function outreachInput(rows: number, extra: Partial<OutreachInput> = {}): Promise<OutreachInput> {
  const csv = await harness.writeCsv(`${uniqueWorkflowId('outreach')}.csv`, contactsCsv(rows));
  return { agentId: testAgentId, csv, pollIntervalSeconds: 30, ...extra };
}

function startOutreach(input: OutreachInput): Promise<WorkflowHandle<typeof outreachCampaign>> {
  return harness.env.client.workflow.start(outreachCampaign, {
    workflowId: uniqueWorkflowId('outreach'),
    taskQueue: 'test-campaigns',
    args: [input],
  });
}

/** The batches the simulator created since `before`, oldest first, with the numbers each was given. */
function batchesSince(before: number) {
  return harness.simulator.batches
    .list()
    .slice(before)
    .map((batch) => {
      const column = batch.columns.indexOf('contact_number');
      return { batch, numbers: batch.rows.map((row) => row[column] ?? '') };
    });
}

/** Each number's final call status in a batch, from the simulator's own view at `nowMs`. */
function finalStatuses(batchId: string, nowMs: number): Map<string, string> {
  const batch = harness.simulator.batches.list().find((each) => each.batchId === batchId)!;
  const column = batch.columns.indexOf('contact_number');
  const states = harness.simulator.batches.callStates(batch, nowMs);
  return new Map(batch.rows.map((row, index) => [row[column] ?? '', states[index]!.status]));
}

test('unanswered contacts are called again in a later wave, no sooner than `after`, up to maxAttempts', async () => {
  const before = harness.simulator.batches.size;
  const handle = await startOutreach(
    await outreachInput(8, { retry: { on: ['no-answer'], maxAttempts: 2, after: '2h' } }),
  );
  const result = await handle.result();
  const now = await harness.clock.now();

  const waves = batchesSince(before);
  expect(result.outcome).toBe('completed');
  expect(waves.length).toBe(result.waves);
  const [first, second] = waves;
  expect(first!.numbers).toHaveLength(8);
  const firstStatuses = finalStatuses(first!.batch.batchId, now);
  const unanswered = [...firstStatuses].filter(([, status]) => status === 'no-answer').map(([n]) => n);
  // The seeded simulator answers some and not others: the test means something only if both happen.
  expect(unanswered.length).toBeGreaterThan(0);
  expect(unanswered.length).toBeLessThan(8);
  expect(second!.numbers.sort()).toEqual(unanswered.sort());
  // Nobody gets a third call: maxAttempts is 2.
  expect(waves).toHaveLength(2);
  // The retry wave started at least 2 hours after the first wave's last call.
  expect(second!.batch.schedule!.startsAtMs - first!.batch.schedule!.finishesAtMs).toBeGreaterThanOrEqual(
    2 * hour,
  );

  const secondStatuses = finalStatuses(second!.batch.batchId, now);
  const answered = [...firstStatuses.values(), ...secondStatuses.values()].filter(
    (s) => s === 'completed',
  ).length;
  expect(result.contacts.answered).toBe(answered);
  expect(result.contacts.exhausted).toBe(8 - answered);
  expect(result.contacts.pending + result.contacts['retry-waiting'] + result.contacts['in-wave']).toBe(0);

  const contacts = (await readFile(result.files!.contactsCsv, 'utf8')).trim().split('\n');
  expect(contacts).toHaveLength(9);
}, 120_000);
