import { outreachCampaign } from '../../src/workflows/outreach-campaign';
import { contactsCsv, lifelikeCalls, testAgentId } from '../support/constants';
import { startWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';
import { uniqueWorkflowId } from '../support/workflow-steps';

/**
 * How an outreach campaign says it ended, on the time-skipping server with Bolna's real rules: a deadline the
 * campaign never reached is not why it ended.
 */

let harness: WorkflowHarness;

beforeAll(async () => {
  harness = await startWorkflowHarness({ calls: { ...lifelikeCalls, outcomes: { completed: 1 } } });
  await harness.runWorker();
});

afterAll(async () => {
  await harness?.close();
});

test('a campaign that reaches everyone before its deadline ends completed, not at the deadline', async () => {
  const csv = await harness.writeCsv(`${uniqueWorkflowId('outreach')}.csv`, contactsCsv(4));
  const deadline = new Date((await harness.clock.now()) + 2 * 24 * 3_600_000).toISOString();
  const handle = await harness.env.client.workflow.start(outreachCampaign, {
    workflowId: uniqueWorkflowId('outreach'),
    taskQueue: 'test-campaigns',
    args: [{ agentId: testAgentId, csv, pollIntervalSeconds: 30, deadline }],
  });
  const result = await handle.result();

  expect(result.contacts.answered).toBe(4);
  expect(result.contacts.expired).toBe(0);
  expect(result.waves).toBe(1);
  expect(result.outcome).toBe('completed');
}, 120_000);
