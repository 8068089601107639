import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, CancelledFailure } from '@temporalio/common';
import type { ApplicationFailure } from '@temporalio/common';
import { workflowMetadataQuery } from '@temporalio/workflow';
import type { CampaignReport } from '../../src/report/report-data';
import { batchCampaign } from '../../src/workflows/batch-campaign';
import { progressQuery, stopSignal } from '../../src/workflows/definitions';
import { lifelikeCalls, testAgentId as agentId } from '../support/constants';
import { waitFor } from '../support/wait-for';
import { startWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';
import {
  campaignInput,
  executeCampaignWorkflow,
  requestsTo,
  startCampaignWorkflow,
  uniqueWorkflowId,
  waitForPhase,
} from '../support/workflow-steps';

/**
 * batchCampaign on the time-skipping test server with Bolna's real rules (2-minute lead, 10-minute rounding):
 * time skipping crosses the sleeps, and the simulator's clock follows the test server's.
 */

let harness: WorkflowHarness;

beforeAll(async () => {
  harness = await startWorkflowHarness({ calls: lifelikeCalls });
});

afterAll(async () => {
  await harness?.close();
});

const minute = 60_000;

test('runs a campaign end to end: one create, a schedule with a numeric offset ≥ 2 min ahead, results for every row', async () => {
  const worker = await harness.newWorker();
  const id = uniqueWorkflowId();
  const createsBefore = requestsTo(harness, 'POST', /^\/batches$/).length;
  const campaign = await campaignInput(harness, 5);

  // Queries on a closed workflow are answered by replay on a worker, so they run while the worker does.
  const { result, progress, metadata } = await worker.runUntil(async () => {
    const finished = await executeCampaignWorkflow(harness, id, campaign);
    const handle = harness.env.client.workflow.getHandle(id);
    return {
      result: finished,
      progress: await handle.query(progressQuery),
      metadata: await handle.query(workflowMetadataQuery),
    };
  });

  expect(result.outcome).toBe('completed');
  const summary = result as Required<typeof result>;
  expect(summary.totalCalls).toBe(5);
  expect(Object.values(summary.counts).reduce((a, b) => a + b, 0)).toBe(5);
  expect(requestsTo(harness, 'POST', /^\/batches$/).length - createsBefore).toBe(1);

  const schedule = requestsTo(harness, 'POST', new RegExp(`^/batches/${result.batchId}/schedule$`));
  expect(schedule).toHaveLength(1);
  const scheduledAt = String(schedule[0]!.fields?.scheduled_at);
  expect(scheduledAt).toMatch(/\+00:00$/);
  expect(Date.parse(scheduledAt) - schedule[0]!.at).toBeGreaterThanOrEqual(2 * minute);

  // The workflow slept until Bolna's rounded start: no status poll happened before it.
  const startsAt = Math.ceil(Date.parse(scheduledAt) / (10 * minute)) * 10 * minute;
  const polls = requestsTo(harness, 'GET', new RegExp(`^/batches/${result.batchId}$`));
  const pollsAfterScheduling = polls.filter((r) => r.at > schedule[0]!.at + 1000);
  expect(pollsAfterScheduling.length).toBeGreaterThan(0);
  expect(Math.min(...pollsAfterScheduling.map((r) => r.at))).toBeGreaterThanOrEqual(startsAt);

  const lines = (await readFile(summary.files.jsonl, 'utf8')).trim().split('\n');
  expect(lines).toHaveLength(5);
  const first = JSON.parse(lines[0]!) as { context_details: { recipient_data: Record<string, string> } };
  expect(first.context_details.recipient_data.first_name).toMatch(/^Person \d$/);
  const csv = await readFile(summary.files.csv, 'utf8');
  expect(csv.split('\n')[0]).toContain('var:first_name');

  // The report beside the results, with the summary's totals; the Web UI's current details name it.
  const folder = dirname(summary.files.csv);
  expect(summary.files.reportHtml).toBe(join(folder, 'report.html'));
  expect(summary.files.reportJson).toBe(join(folder, 'report.json'));
  const report = JSON.parse(await readFile(summary.files.reportJson!, 'utf8')) as CampaignReport;
  expect(report.campaign).toMatchObject({ workflowId: id, batchIds: [result.batchId], rows: 5 });
  expect(report.calls.total).toBe(5);
  const answered = report.outcomes.find(({ outcome }) => outcome === 'answered')?.calls ?? 0;
  expect(answered).toBe(summary.answered);
  expect(report.cost.totalCents).toBeCloseTo(summary.totalCostCents, 6);
  expect(await readFile(summary.files.reportHtml!, 'utf8')).toMatch(/^<!doctype html>[\s\S]*<svg/);
  expect(metadata.currentDetails).toContain(`| report | \`${summary.files.reportHtml}\` |`);

  expect(progress.phase).toBe('completed');
  expect(progress.startsAt).toBe(new Date(startsAt).toISOString());
});

test('stop before creation creates nothing', async () => {
  const worker = await harness.newWorker();
  const createsBefore = requestsTo(harness, 'POST', /^\/batches$/).length;
  const result = await worker.runUntil(async () => {
    const handle = await harness.env.client.workflow.signalWithStart(batchCampaign, {
      workflowId: uniqueWorkflowId(),
      taskQueue: 'test-campaigns',
      args: [await campaignInput(harness, 3)],
      signal: stopSignal,
      signalArgs: ['changed my mind'],
    });
    return handle.result();
  });
  expect(result).toEqual({ outcome: 'stopped', stopReason: 'changed my mind' });
  expect(requestsTo(harness, 'POST', /^\/batches$/).length).toBe(createsBefore);
});

test('stop while waiting for the start stops the batch at Bolna before anyone is called', async () => {
  const worker = await harness.newWorker();
  const id = uniqueWorkflowId();
  const result = await worker.runUntil(async () => {
    const handle = await startCampaignWorkflow(harness, id, await campaignInput(harness, 4));
    const waiting = await waitForPhase(handle, 'waiting');
    expect(waiting.batchId).toBeDefined();
    await handle.signal(stopSignal, 'operator stop');
    return handle.result();
  });
  expect(result.outcome).toBe('stopped');
  expect(requestsTo(harness, 'POST', new RegExp(`^/batches/${result.batchId}/stop$`))).toHaveLength(1);
  expect(result.totalCalls).toBe(4);
  expect(result.counts?.completed ?? 0).toBe(0);
});

test('where Bolna refuses to stop a batch that has not started, it is deleted so it can never call', async () => {
  harness.simulator.settings.variants.stopWhileScheduled = 'not-found';
  try {
    const worker = await harness.newWorker();
    const id = uniqueWorkflowId();
    const result = await worker.runUntil(async () => {
      const handle = await startCampaignWorkflow(harness, id, await campaignInput(harness, 2));
      await waitForPhase(handle, 'waiting');
      await handle.signal(stopSignal);
      return handle.result();
    });
    expect(result).toMatchObject({ outcome: 'stopped', batchStatus: 'deleted' });
    expect(result.files).toBeUndefined();
    expect(requestsTo(harness, 'POST', new RegExp(`^/batches/${result.batchId}/stop$`))[0]?.status).toBe(404);
    expect(requestsTo(harness, 'DELETE', new RegExp(`^/batches/${result.batchId}$`))[0]?.status).toBe(200);
    expect(harness.simulator.batches.find(result.batchId!)).toBeUndefined();
  } finally {
    harness.simulator.settings.variants.stopWhileScheduled = 'stops';
  }
});

test('stop while running collects the partial results', async () => {
  const worker = await harness.newWorker();
  const id = uniqueWorkflowId();
  const result = await worker.runUntil(async () => {
    const handle = await startCampaignWorkflow(harness, id, await campaignInput(harness, 9));
    const waiting = await waitForPhase(handle, 'waiting');
    // Cross Bolna's rounded start and let the first waves of calls finish, but not all of them.
    const startsAt = Date.parse(waiting.startsAt!);
    await harness.env.sleep(startsAt + 4.5 * minute - (await harness.env.currentTimeMs()));
    const running = await waitForPhase(handle, 'running');
    expect(Object.keys(running.counts).length).toBeGreaterThan(0);
    await handle.signal(stopSignal);
    return handle.result();
  });
  expect(result.outcome).toBe('stopped');
  expect(requestsTo(harness, 'POST', new RegExp(`^/batches/${result.batchId}/stop$`))).toHaveLength(1);
  const counts = result.counts!;
  expect(result.totalCalls).toBe(9);
  expect(counts.stopped ?? 0).toBeGreaterThan(0);
  expect(9 - (counts.stopped ?? 0)).toBeGreaterThan(0);
});

test('cancelling the workflow stops the batch and still collects results', async () => {
  const worker = await harness.newWorker();
  const id = uniqueWorkflowId();
  const { outcome, progress } = await worker.runUntil(async () => {
    const handle = await startCampaignWorkflow(harness, id, await campaignInput(harness, 3));
    await waitForPhase(handle, 'waiting');
    await handle.cancel();
    return {
      outcome: await handle.result().catch((error: unknown) => error),
      progress: await handle.query(progressQuery),
    };
  });
  expect(outcome).toBeInstanceOf(WorkflowFailedError);
  expect((outcome as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  expect(progress.phase).toBe('stopped');
  expect(progress.summary?.totalCalls).toBe(3);
  expect(requestsTo(harness, 'POST', new RegExp(`^/batches/${progress.batchId}/stop$`))).toHaveLength(1);
});

test('cancelling while the schedule request is in flight still leaves no batch calling anyone', async () => {
  const worker = await harness.newWorker();
  const id = uniqueWorkflowId();
  harness.simulator.injectFault({ method: 'POST', path: /\/schedule$/, kind: 'latency', latencyMs: 1_500 });
  const batchId = await worker.runUntil(async () => {
    const handle = await startCampaignWorkflow(harness, id, await campaignInput(harness, 2));
    const progress = await waitForPhase(handle, 'scheduling');
    await waitFor(
      'the schedule request',
      () => requestsTo(harness, 'POST', new RegExp(`^/batches/${progress.batchId}/schedule$`)).length > 0,
      { timeoutMs: 10_000, intervalMs: 25 },
    );
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
    return progress.batchId!;
  });
  const batch = harness.simulator.batches.find(batchId)!;
  expect(harness.simulator.batches.status(batch, await harness.clock.now())).toBe('stopped');
});

test('a long batch continues as new with its state and still creates exactly one batch', async () => {
  const worker = await harness.newWorker();
  const id = uniqueWorkflowId();
  const createsBefore = requestsTo(harness, 'POST', /^\/batches$/).length;
  const { result, firstRunId, lastRunId } = await worker.runUntil(async () => {
    // 12 calls, 3 at a time, ~4 min each: ~16 min of polling every 10 s, far past 40 events.
    const input = await campaignInput(harness, 12, { pollIntervalSeconds: 10, maxHistoryEvents: 40 });
    const handle = await startCampaignWorkflow(harness, id, input);
    const finished = await handle.result();
    const description = await harness.env.client.workflow.getHandle(id).describe();
    return { result: finished, firstRunId: handle.firstExecutionRunId, lastRunId: description.runId };
  });
  expect(result.outcome).toBe('completed');
  expect(result.totalCalls).toBe(12);
  expect(lastRunId).not.toBe(firstRunId);
  expect(requestsTo(harness, 'POST', /^\/batches$/).length - createsBefore).toBe(1);
});

test('a lost create response is recovered without creating a second batch', async () => {
  const worker = await harness.newWorker();
  const createsBefore = requestsTo(harness, 'POST', /^\/batches$/).length;
  const batchesBefore = harness.simulator.batches.size;
  harness.simulator.injectFault({ method: 'POST', path: '/batches', kind: 'lost-response', times: 1 });
  const result = await worker.runUntil(
    executeCampaignWorkflow(harness, uniqueWorkflowId(), await campaignInput(harness, 2)),
  );
  expect(result.outcome).toBe('completed');
  expect(requestsTo(harness, 'POST', /^\/batches$/).length - createsBefore).toBe(1);
  expect(harness.simulator.batches.size - batchesBefore).toBe(1);
});

test('server errors and rate limits on Bolna are retried by Temporal', async () => {
  const worker = await harness.newWorker();
  harness.simulator.injectFault({ method: 'POST', path: /\/schedule$/, kind: 'server-error', times: 2 });
  harness.simulator.injectFault({
    method: 'GET',
    path: /\/executions$/,
    kind: 'rate-limit',
    times: 1,
    retryAfterSeconds: 7,
  });
  const result = await worker.runUntil(
    executeCampaignWorkflow(harness, uniqueWorkflowId(), await campaignInput(harness, 2)),
  );
  expect(result.outcome).toBe('completed');
  expect(result.totalCalls).toBe(2);
  const schedules = requestsTo(harness, 'POST', new RegExp(`^/batches/${result.batchId}/schedule$`));
  expect(schedules.map((r) => r.status)).toEqual([500, 500, 200]);
  const downloads = requestsTo(harness, 'GET', new RegExp(`^/batches/${result.batchId}/executions$`));
  expect(downloads.map((r) => r.status)).toEqual([429, 200]);
  expect(downloads[1]!.at - downloads[0]!.at).toBeGreaterThanOrEqual(7_000);
});

test('a bad CSV fails the workflow before any call to Bolna, naming the line and column', async () => {
  const worker = await harness.newWorker();
  const id = uniqueWorkflowId();
  const before = harness.simulator.requests.length;
  const csv = await harness.writeCsv('bad.csv', 'contact_number,name\n+919876543210,A\n98765,B\n');
  const { error, progress } = await worker.runUntil(async () => {
    const failed = await executeCampaignWorkflow(harness, id, { agentId, csv }).catch((e: unknown) => e);
    return { error: failed, progress: await harness.env.client.workflow.getHandle(id).query(progressQuery) };
  });
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ActivityFailure);
  const failure = cause!.cause as ApplicationFailure;
  expect(failure.type).toBe('CsvValidationError');
  expect(failure.message).toMatch(/line 3, contact_number: '98765'/);
  expect(harness.simulator.requests.length).toBe(before);
  expect(progress.phase).toBe('failed');
});

test('a wrong API key fails fast as BolnaAuthError, and the key is nowhere in history', async () => {
  const wrongKey = 'bn-wrong-key-do-not-leak-42';
  const worker = await harness.newWorker({ apiKey: wrongKey });
  const id = uniqueWorkflowId();
  const error = await worker.runUntil(
    executeCampaignWorkflow(harness, id, await campaignInput(harness, 2)).catch((e: unknown) => e),
  );
  const failure = ((error as WorkflowFailedError).cause as ActivityFailure).cause as ApplicationFailure;
  expect(failure.type).toBe('BolnaAuthError');
  expect(failure.nonRetryable).toBe(true);
  const history = JSON.stringify(await harness.env.client.workflow.getHandle(id).fetchHistory());
  expect(history).not.toContain(wrongKey);
  expect(history).not.toContain(harness.apiKey);
  expect(JSON.stringify(harness.simulator.requests)).not.toContain(wrongKey);
});
