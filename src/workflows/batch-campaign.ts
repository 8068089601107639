import {
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { CampaignActivities } from '../activities';
import { isTerminalBatchStatus } from '../bolna/statuses';
import { progressQuery, stopSignal } from './definitions';
import type { CampaignInput, CampaignPhase, CampaignResult, CampaignState } from './definitions';

/*
 * One proxy per timeout profile. Errors a retry cannot fix (bad request, bad key, bad CSV) arrive as
 * non-retryable ApplicationFailures from the activities, so the retry policies here only shape the backoff.
 * Every activity heartbeats while it runs, so a worker that dies mid-call is noticed within the heartbeat timeout
 * and the step is retried on another worker, instead of waiting out the start-to-close timeout.
 */
const heartbeatTimeout = '20 seconds';

/** Reading and checking the CSV: long for a million rows. */
const { validateCsv } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout,
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/** Creating and scheduling change Bolna's state: keep trying through an outage, but not forever. */
const { createBatch, scheduleBatch } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '10 minutes',
  scheduleToCloseTimeout: '2 hours',
  heartbeatTimeout,
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Cheap reads (the access check and polls) and the stop button: short attempts, retried for as long as the batch may run. */
const { checkBolnaAccess, getBatch, stopBatch } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout,
  // Cheap and harmless to repeat: a flaky Bolna costs a campaign seconds, not the minutes a long backoff would.
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** Downloading tens of MB of executions. */
const { collectResults } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout,
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const defaultPollIntervalSeconds = 30;

/**
 * A Bolna batch-calling campaign: validate the CSV → create the batch → schedule it → sleep until Bolna's rounded
 * start → poll until the batch is finished → collect every call's result. `stop` (or cancelling the workflow)
 * works in every phase; `progress` answers in every phase. Long runs continue-as-new with their state.
 */
export async function batchCampaign(input: CampaignInput): Promise<CampaignResult> {
  // `temporal workflow start` without `--input` passes nothing: let validateCsv refuse it with a clear error
  // instead of failing the workflow task here over and over.
  const resumed = (input as CampaignInput | undefined)?.resume;
  const state: CampaignState = resumed ?? { phase: 'validating', counts: {}, stopRequested: false };
  setHandler(progressQuery, () => state);
  setHandler(stopSignal, (reason) => {
    if (state.stopRequested) return;
    state.stopRequested = true;
    state.stopReason = reason || 'stop requested';
    log.info('Stop requested', { reason: state.stopReason, phase: state.phase });
  });

  try {
    return await runCampaign(input, state);
  } catch (error) {
    if (isCancellation(error)) {
      state.stopReason ??= 'workflow cancelled';
      await CancellationScope.nonCancellable(() =>
        stopAndCollect(state, (input as CampaignInput | undefined)?.agentId),
      );
    } else {
      state.error = error instanceof Error ? error.message : String(error);
      enter(state, 'failed');
    }
    throw error;
  }
}

async function runCampaign(input: CampaignInput, state: CampaignState): Promise<CampaignResult> {
  const { workflowId, firstExecutionRunId } = workflowInfo();

  if (state.phase === 'validating') {
    if (state.stopRequested) return stopAndCollect(state, input.agentId);
    state.csv = await validateCsv({ campaign: input, campaignKey: workflowId });
    await checkBolnaAccess(input.agentId);
    enter(state, 'creating');
  }

  if (state.phase === 'creating') {
    if (state.stopRequested) return stopAndCollect(state, input.agentId);
    const csv = required(state.csv, 'csv');
    // Steps that change Bolna's state finish even if the workflow is cancelled meanwhile, so the cleanup knows
    // exactly what exists at Bolna (an abandoned schedule request could land after our stop and start calling).
    const { batchId } = await untilDone(() =>
      createBatch({
        agentId: input.agentId,
        csvPath: csv.cleanCsvPath,
        fileName: uploadFileName(workflowId, firstExecutionRunId),
        ...(input.fromPhoneNumbers ? { fromPhoneNumbers: input.fromPhoneNumbers } : {}),
        ...(input.retryConfig ? { retryConfig: input.retryConfig } : {}),
        ...(input.webhookUrl ? { webhookUrl: input.webhookUrl } : {}),
      }),
    );
    state.batchId = batchId;
    state.batchStatus = 'created';
    enter(state, 'scheduling');
  }

  const batchId = required(state.batchId, 'batchId');

  if (state.phase === 'scheduling') {
    if (state.stopRequested) return stopAndCollect(state, input.agentId);
    const { scheduledAt, startsAt } = await untilDone(() =>
      scheduleBatch({
        batchId,
        ...(input.startAt ? { startAt: input.startAt } : {}),
        ...(input.bypassCallGuardrails === undefined
          ? {}
          : { bypassCallGuardrails: input.bypassCallGuardrails }),
      }),
    );
    Object.assign(state, { scheduledAt, startsAt, batchStatus: 'scheduled' });
    enter(state, 'waiting');
  }

  if (state.phase === 'waiting') {
    const untilStartMs = Date.parse(required(state.startsAt, 'startsAt')) - Date.now();
    if (untilStartMs > 0 && (await condition(() => state.stopRequested, untilStartMs))) {
      return stopAndCollect(state, input.agentId);
    }
    enter(state, 'running');
  }

  if (state.phase === 'running') {
    const pollIntervalMs = (input.pollIntervalSeconds ?? defaultPollIntervalSeconds) * 1000;
    for (;;) {
      const snapshot = await poll(state, batchId);
      if (isTerminalBatchStatus(snapshot.status)) break;
      if (await condition(() => state.stopRequested, pollIntervalMs))
        return stopAndCollect(state, input.agentId);
      if (workflowInfo().continueAsNewSuggested || historyFull(input)) {
        log.info('Continuing as new to keep history bounded', {
          historyLength: workflowInfo().historyLength,
        });
        await continueAsNew<typeof batchCampaign>({ ...input, resume: state });
      }
    }
    enter(state, 'collecting');
  }

  if (state.phase === 'collecting') await collect(state, batchId, input.agentId);
  enter(state, state.batchStatus === 'stopped' ? 'stopped' : 'completed');
  return resultOf(state);
}

/**
 * Ends the campaign early. Before creation there is nothing at Bolna. Afterwards the batch is stopped (or, if
 * Bolna will not stop a batch that has not started, deleted) even if it was created after the stop arrived, and
 * the calls made so far are still collected.
 */
async function stopAndCollect(state: CampaignState, agentId: string | undefined): Promise<CampaignResult> {
  if (state.batchId) {
    const { deleted } = await stopBatch(state.batchId);
    if (deleted) {
      state.batchStatus = 'deleted';
    } else if (state.phase !== 'scheduling') {
      await poll(state, state.batchId);
      enter(state, 'collecting');
      await collect(state, state.batchId, agentId);
    }
  }
  enter(state, 'stopped');
  return resultOf(state);
}

/** One look at the batch, recorded in the state the `progress` query shows. */
async function poll(state: CampaignState, batchId: string): Promise<{ status: string }> {
  const snapshot = await getBatch(batchId);
  Object.assign(state, {
    batchStatus: snapshot.status,
    counts: snapshot.counts,
    lastPolledAt: snapshot.polledAt,
  });
  return snapshot;
}

async function collect(state: CampaignState, batchId: string, agentId: string | undefined): Promise<void> {
  const totals = await collectResults({
    batchId,
    campaignKey: workflowInfo().workflowId,
    variableColumns: state.csv?.variableColumns ?? [],
    ...(agentId === undefined ? {} : { agentId }),
    ...(state.csv ? { expectedRows: state.csv.rows } : {}),
  });
  state.summary = { ...totals, batchStatus: state.batchStatus ?? 'unknown' };
  state.counts = totals.counts;
}

function resultOf(state: CampaignState): CampaignResult {
  return {
    outcome: state.phase === 'stopped' ? 'stopped' : 'completed',
    ...(state.stopReason ? { stopReason: state.stopReason } : {}),
    ...(state.batchId ? { batchId: state.batchId, batchStatus: state.batchStatus ?? 'unknown' } : {}),
    ...state.summary,
  };
}

/**
 * Runs a step to completion even if the workflow is cancelled while it runs; but a workflow already cancelled
 * starts no new step (the cancellation is thrown here, and the cleanup stops whatever exists).
 */
async function untilDone<T>(step: () => Promise<T>): Promise<T> {
  const scope = CancellationScope.current();
  if (scope.consideredCancelled) await scope.cancelRequested;
  return CancellationScope.nonCancellable(step);
}

function enter(state: CampaignState, phase: CampaignPhase): void {
  state.phase = phase;
  log.info(`Campaign phase: ${phase}`, { batchId: state.batchId });
}

function historyFull(input: CampaignInput): boolean {
  return input.maxHistoryEvents !== undefined && workflowInfo().historyLength >= input.maxHistoryEvents;
}

/**
 * The name the CSV is uploaded under. Unique to this campaign (workflow ID + first run, stable across
 * continue-as-new), so a retried create can find the batch an earlier attempt made instead of making another.
 */
function uploadFileName(workflowId: string, firstExecutionRunId: string): string {
  return `${workflowId.replace(/[^A-Za-z0-9._-]+/g, '_')}-${firstExecutionRunId.slice(0, 8)}.csv`;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw ApplicationFailure.nonRetryable(
      `campaign state has no ${what} (corrupt resume input?)`,
      'CorruptCampaignState',
    );
  }
  return value;
}
