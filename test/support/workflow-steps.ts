import { WorkflowFailedError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { LoggedRequest } from '../../simulator/server';
import { batchCampaign } from '../../src/workflows/batch-campaign';
import { progressQuery } from '../../src/workflows/definitions';
import type {
  CampaignInput,
  CampaignPhase,
  CampaignProgress,
  CampaignResult,
} from '../../src/workflows/definitions';
import { contactsCsv, testAgentId } from './constants';
import { waitFor } from './wait-for';
import type { WaitOptions } from './wait-for';
import type { WorkflowHarness } from './workflow-harness';

/** The steps workflow tests on the time-skipping harness take again and again. */

let idCounter = 0;

/** A workflow ID no other test of this run uses. */
export function uniqueWorkflowId(prefix = 'campaign-test'): string {
  idCounter += 1;
  return `${prefix}-${idCounter}-${Date.now()}`;
}

/** A campaign over `rows` fresh contacts, written to the harness's folder. */
export async function campaignInput(
  harness: WorkflowHarness,
  rows = 5,
  extra: Partial<CampaignInput> = {},
): Promise<CampaignInput> {
  idCounter += 1;
  const csv = await harness.writeCsv(`contacts-${idCounter}-${rows}.csv`, contactsCsv(rows));
  return { agentId: testAgentId, csv, pollIntervalSeconds: 30, ...extra };
}

export function startCampaignWorkflow(
  harness: WorkflowHarness,
  workflowId: string,
  input: CampaignInput,
  taskQueue = 'test-campaigns',
) {
  return harness.env.client.workflow.start(batchCampaign, { workflowId, taskQueue, args: [input] });
}

/** Starts a campaign and waits for its result (a worker must be running, e.g. `worker.runUntil` around this). */
export async function executeCampaignWorkflow(
  harness: WorkflowHarness,
  workflowId: string,
  input: CampaignInput,
): Promise<CampaignResult> {
  return (await startCampaignWorkflow(harness, workflowId, input)).result();
}

/** The simulator's log of requests with this method to paths matching `path`. */
export function requestsTo(harness: WorkflowHarness, method: string, path: RegExp): LoggedRequest[] {
  return harness.simulator.requests.filter((request) => request.method === method && path.test(request.path));
}

/**
 * Queries until the campaign reaches `phase`, and returns its progress then. On the time-skipping server queries
 * never advance time, so a phase that needs time to pass is reached only after `env.sleep`.
 */
export function waitForPhase(
  handle: WorkflowHandle<typeof batchCampaign>,
  phase: CampaignPhase,
  options: WaitOptions = { timeoutMs: 30_000, intervalMs: 50 },
): Promise<CampaignProgress> {
  return waitFor(
    `${handle.workflowId} to reach phase ${phase}`,
    async () => {
      const progress = await handle.query(progressQuery);
      return progress.phase === phase ? progress : undefined;
    },
    options,
  );
}

/** The ApplicationFailure that ended a workflow: its own, or the one behind a failed activity. */
export function applicationFailureOf(error: unknown): ApplicationFailure | undefined {
  const cause = error instanceof WorkflowFailedError ? error.cause : error;
  const inner = cause instanceof ActivityFailure ? cause.cause : cause;
  return inner instanceof ApplicationFailure ? inner : undefined;
}
