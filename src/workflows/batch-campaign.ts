import type { ActivityOptions, SearchAttributeUpdatePair } from '@temporalio/common';
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  ContinueAsNew,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CampaignActivities } from '../activities';
import {
  connectedCallStatuses,
  isAbandonedBatchStatus,
  isBatchDone,
  isTerminalBatchStatus,
  isTerminalCallStatus,
  knownBatchStatuses,
} from '../bolna/statuses';
import { failureTypes } from '../platform/failures';
import { utc } from '../platform/readable';
import { countCampaignEnd } from '../temporal/metrics';
import { campaignKey } from './campaign-key';
import { campaignDetails } from './current-details';
import { bolnaTaskQueues, bolnaWebhookSignal, progressQuery, stopSignal } from './definitions';
import type {
  BolnaWebhookReport,
  CallCounts,
  CampaignInput,
  CampaignPhase,
  CampaignResult,
  CampaignState,
} from './definitions';
import { defaultMaxPollIntervalMs, nextPollDelayMs } from './poll-interval';
import { resumedState } from './resumed-state';
import { runningTimeoutMs } from './running-deadline';
import { campaignSearchAttributes } from './search-attributes';
import type { CampaignSearchAttribute } from './search-attributes';

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
const changingBolna: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  scheduleToCloseTimeout: '2 hours',
  heartbeatTimeout,
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** Cheap reads (the access check and polls) and the stop button: short attempts, retried for as long as the batch may run. */
const cheapBolna: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  heartbeatTimeout,
  // Cheap and harmless to repeat: a flaky Bolna costs a campaign seconds, not the minutes a long backoff would.
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

/** Downloading tens of MB of executions. */
const collectingFromBolna: ActivityOptions = {
  startToCloseTimeout: '1 hour',
  heartbeatTimeout,
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/**
 * The activities that call Bolna, on the task queues that share its rate limit among every worker (polls on a
 * queue of their own, so they never hold up the rest: see bolnaTaskQueues). Campaigns running since before those
 * queues existed replay their earlier steps on the campaign's own queue.
 */
function bolna() {
  const queues = patched('bolna-task-queues') ? bolnaTaskQueues(workflowInfo().taskQueue) : undefined;
  const calls = queues ? { taskQueue: queues.calls } : {};
  const { createBatch, scheduleBatch } = proxyActivities<CampaignActivities>({ ...changingBolna, ...calls });
  const { checkBolnaAccess, stopBatch } = proxyActivities<CampaignActivities>({ ...cheapBolna, ...calls });
  const { getBatch } = proxyActivities<CampaignActivities>({
    ...cheapBolna,
    ...(queues ? { taskQueue: queues.polls } : {}),
  });
  const { collectResults } = proxyActivities<CampaignActivities>({ ...collectingFromBolna, ...calls });
  return { checkBolnaAccess, createBatch, scheduleBatch, getBatch, stopBatch, collectResults };
}

/** A quick in-process question to the worker: which search attributes the namespace has. It never fails. */
const { registeredSearchAttributes } = proxyLocalActivities<CampaignActivities>({
  startToCloseTimeout: '10 seconds',
});

const minuteMs = 60_000;
const defaultPollIntervalSeconds = 30;
/** While Bolna pushes the batch, polls only catch a lost webhook: every 5 minutes, unless told otherwise. */
const defaultWebhookPollSeconds = 300;
/** Distinct pushed reports remembered: Bolna sends two per batch; replays of older ones are rare. */
const rememberedWebhookReports = 20;
const defaultKeyRefusedRetryMinutes = 60;
const defaultStopDrainMinutes = 15;
/** How often a refused key is tried again while an operator fixes it. */
const keyRetryIntervalMs = minuteMs;

/**
 * A Bolna batch-calling campaign: validate the CSV → create the batch → schedule it → sleep until Bolna's rounded
 * start → poll until the batch is finished → collect every call's result. `stop` (or cancelling the workflow)
 * works up to the collection; `progress` answers in every phase. Long runs continue-as-new with their state.
 */
export async function batchCampaign(input: CampaignInput): Promise<CampaignResult> {
  const state = resumedState(input) ?? { phase: 'validating', counts: {}, stopRequested: false };
  setHandler(progressQuery, () => state, {
    description: 'Where the campaign is: phase, batch, calls per status, warnings, results when collected',
  });
  setHandler(stopSignal, (reason) => requestStop(state, reason), {
    description:
      'Stop the campaign (optional reason): its batch is stopped and the calls made so far collected',
  });
  setHandler(bolnaWebhookSignal, (report) => recordWebhook(state, report), {
    description:
      'Bolna pushed the batch (from the webhook receiver): the running campaign polls at once to confirm',
  });

  try {
    return await runCampaign(input, state);
  } catch (error) {
    if (error instanceof ContinueAsNew) throw error; // the campaign goes on in its next run
    if (!isCancellation(error)) return await failCampaign(state, error);
    state.stopReason ??= 'workflow cancelled';
    await CancellationScope.nonCancellable(() => stopAndCollect(input, state));
    throw error;
  }
}

async function runCampaign(input: CampaignInput, state: CampaignState): Promise<CampaignResult> {
  const { workflowId, firstExecutionRunId, startTime } = workflowInfo();
  const key = campaignKey(workflowId, firstExecutionRunId);
  await showCampaign(input, state);

  if (state.phase === 'validating') {
    if (state.stopRequested) return stopAndCollect(input, state);
    // "Not in the past" is judged against when the campaign was started, so a retry that runs late cannot fail it.
    state.csv = await validateCsv.executeWithOptions({ summary: 'read and check the contact list' }, [
      { campaign: input, campaignKey: key, startedAtMs: startTime.getTime() },
    ]);
    const access = await bolna().checkBolnaAccess.executeWithOptions(
      { summary: 'check that Bolna takes the key and knows the agent' },
      [input.agentId],
    );
    // Histories recorded before the check reported anything replay it as undefined.
    if (access?.concurrency !== undefined) state.concurrency = access.concurrency;
    publish(state, { BolnaAgentId: input.agentId, CampaignName: campaignName(input) });
    enterPhase(state, 'creating');
  }

  if (state.phase === 'creating') {
    if (state.stopRequested) return stopAndCollect(input, state);
    const csv = stateValue(state.csv, 'csv');
    // Steps that change Bolna's state finish even if the workflow is cancelled meanwhile, so the cleanup knows
    // exactly what exists at Bolna (an abandoned schedule request could land after our stop and start calling).
    const { batchId, webhook } = await runToCompletion(() =>
      bolna().createBatch.executeWithOptions(
        { summary: `upload ${csv.rows} contacts to Bolna as a new batch` },
        [{ campaign: input, csvPath: csv.cleanCsvPath, fileName: `${key}.csv` }],
      ),
    );
    state.batchId = batchId;
    state.batchStatus = 'created';
    if (webhook) state.webhooks = true;
    publish(state, { BolnaBatchId: batchId });
    enterPhase(state, 'scheduling');
  }

  const batchId = stateValue(state.batchId, 'batchId');

  if (state.phase === 'scheduling') {
    if (state.stopRequested) return stopAndCollect(input, state);
    const scheduled = await runToCompletion(() =>
      whileKeyRefused(input, state, () =>
        bolna().scheduleBatch.executeWithOptions(
          { summary: `schedule the batch to start ${input.startAt ?? 'as soon as Bolna allows'}` },
          [
            {
              batchId,
              ...(input.startAt ? { startAt: input.startAt } : {}),
              ...(input.startBy ? { startBy: input.startBy } : {}),
              ...(input.bypassCallGuardrails === undefined
                ? {}
                : { bypassCallGuardrails: input.bypassCallGuardrails }),
            },
          ],
        ),
      ),
    ).catch((error: unknown) => {
      if (failureType(error) !== failureTypes.StartMissed) throw error;
      return { missed: messageOf(error) };
    });
    if ('missed' in scheduled) {
      state.stopRequested = true;
      state.stopReason = scheduled.missed;
      return stopAndCollect(input, state);
    }
    Object.assign(state, {
      scheduledAt: scheduled.scheduledAt,
      startsAt: scheduled.startsAt,
      batchStatus: 'scheduled',
    });
    if (scheduled.startAtPassed) {
      warn(
        state,
        `startAt ${input.startAt} had passed (or was closer than Bolna's lead) when the batch was scheduled: it starts as soon as Bolna allows`,
      );
    }
    enterPhase(state, 'waiting');
  }

  if (state.phase === 'waiting') {
    const startsAtMs = Date.parse(stateValue(state.startsAt, 'startsAt'));
    const untilStartMs = startsAtMs - Date.now();
    const summary = `until Bolna starts calling at ${utc(startsAtMs)}`;
    if (untilStartMs > 0 && (await condition(() => state.stopRequested, untilStartMs, { summary }))) {
      return stopAndCollect(input, state);
    }
    enterPhase(state, 'running');
  }

  if (state.phase === 'running') {
    state.runningDeadline ??= new Date(
      Date.parse(stateValue(state.startsAt, 'startsAt')) +
        runningTimeoutMs(input, state.csv?.rows ?? 0, state.concurrency),
    ).toISOString();
    const deadlineMs = Date.parse(state.runningDeadline);
    for (;;) {
      delete state.webhookToConfirm; // this poll confirms whatever Bolna pushed so far
      if (batchDone(await poll(input, state, batchId))) break;
      const untilDeadlineMs = deadlineMs - Date.now();
      if (untilDeadlineMs <= 0) {
        state.timedOut = true;
        state.stopReason = `the batch was still running at its deadline (${state.runningDeadline})`;
        return stopAndCollect(input, state);
      }
      // Pushed by Bolna, the batch is polled only as a safety net; polled, the poll adapts to what is left.
      const intervalMs = state.webhooks
        ? Math.max(safetyNetPollMs(input), nextPollMs(input, state))
        : nextPollMs(input, state);
      const waitMs = Math.min(intervalMs, untilDeadlineMs);
      showDetails(state, Date.now() + waitMs);
      const summary = state.webhooks
        ? 'until Bolna pushes the batch, or the safety-net poll'
        : 'until the next poll';
      await condition(() => state.stopRequested || state.webhookToConfirm === true, waitMs, { summary });
      if (state.stopRequested) return stopAndCollect(input, state);
      if (workflowInfo().continueAsNewSuggested || historyFull(input)) {
        log.info('Continuing as new to keep history bounded', {
          historyLength: workflowInfo().historyLength,
        });
        await continueAsNew<typeof batchCampaign>({ ...input, resume: state });
      }
    }
    if (state.stopRequested)
      warn(state, 'a stop arrived after Bolna had finished the batch: nothing was stopped');
    if (state.batchStatus !== undefined && isAbandonedBatchStatus(state.batchStatus))
      warn(state, `Bolna ended the batch as ${state.batchStatus}: the results are of the calls it made`);
    enterPhase(state, 'collecting');
  }

  if (state.phase === 'collecting') await collect(input, state, batchId);
  enterPhase(state, state.batchStatus === 'stopped' ? 'stopped' : 'completed');
  return resultOf(state);
}

/** The stop button: honoured until the results are being collected; after that there is nothing left to stop. */
function requestStop(state: CampaignState, reason: string | undefined): void {
  if (state.stopRequested) return;
  const phasesWithNothingToStop: CampaignPhase[] = ['collecting', 'completed', 'stopped', 'failed'];
  if (phasesWithNothingToStop.includes(state.phase)) {
    warn(state, `a stop (${reason || 'no reason given'}) arrived while ${state.phase}: nothing left to stop`);
    return;
  }
  state.stopRequested = true;
  state.stopReason = reason || 'stop requested';
  log.info('Stop requested', { reason: state.stopReason, phase: state.phase });
}

/**
 * Bolna pushed the batch: remember the report and wake the running campaign, which polls to confirm (the counts
 * it acts on come from that poll). A report for another batch, or one already received, changes nothing: Bolna
 * retries its webhooks, and a replayed one must not cost a poll.
 */
function recordWebhook(state: CampaignState, report: BolnaWebhookReport | undefined): void {
  if (typeof report?.batchId !== 'string' || report.batchId !== state.batchId) {
    log.warn('Ignored a webhook for another batch', { batchId: state.batchId, pushed: report?.batchId });
    // One warning whatever the batch: a flood of forged reports must not grow the campaign's state.
    warn(state, "a webhook named another batch than the campaign's: it was ignored");
    return;
  }
  const key = `${String(report.status)} ${JSON.stringify(Object.entries(report.counts ?? {}).sort())}`;
  const seen = state.webhookReports ?? [];
  if (seen.includes(key)) return;
  state.webhookReports = [...seen, key].slice(-rememberedWebhookReports);
  state.webhookToConfirm = true;
  log.info('Bolna pushed the batch', { batchId: state.batchId, status: report.status });
}

/**
 * Ends the campaign early. Before creation there is nothing at Bolna. Afterwards the batch is stopped (or, if
 * Bolna will not stop a batch that has not started, deleted) even if it was created after the stop arrived; calls
 * already connected are given time to finish, and the calls made so far are collected.
 */
async function stopAndCollect(input: CampaignInput, state: CampaignState): Promise<CampaignResult> {
  const { batchId } = state;
  if (batchId) {
    const { deleted } = await whileKeyRefused(input, state, () =>
      bolna().stopBatch.executeWithOptions(
        { summary: `stop batch ${batchId}: ${state.stopReason ?? 'stop'}` },
        [batchId],
      ),
    );
    if (deleted) {
      state.batchStatus = 'deleted';
    } else if (state.phase !== 'scheduling') {
      await waitForConnectedCalls(input, state, batchId);
      enterPhase(state, 'collecting');
      await collect(input, state, batchId);
    }
  }
  enterPhase(state, 'stopped');
  return resultOf(state);
}

/**
 * A stop only ends calls not yet placed: calls on the line finish on their own (and `completed` comes after
 * Bolna's post-processing). Polls until none is connected any more, for at most `stopDrainMinutes`, so their
 * results are collected too.
 */
async function waitForConnectedCalls(
  input: CampaignInput,
  state: CampaignState,
  batchId: string,
): Promise<void> {
  const giveUpAtMs = Date.now() + (input.stopDrainMinutes ?? defaultStopDrainMinutes) * minuteMs;
  for (;;) {
    await poll(input, state, batchId);
    const connected = callsConnected(state.counts);
    if (connected === 0) return;
    const leftMs = giveUpAtMs - Date.now();
    if (leftMs <= 0) {
      warn(state, `${connected} call(s) were still connected when the results were collected`);
      return;
    }
    await sleep(Math.min(pollIntervalMs(input), leftMs), { summary: 'until connected calls have ended' });
  }
}

/**
 * A campaign that fails after its batch exists must not leave it calling with nobody watching: stop it (or delete
 * it) when Bolna lets us, and say in the failure what was left at Bolna.
 */
async function failCampaign(state: CampaignState, error: unknown): Promise<never> {
  state.error = messageOf(error);
  countCampaignEnd('failed');
  const { batchId } = state;
  if (batchId === undefined) {
    enterPhase(state, 'failed');
    throw error;
  }
  const left = await CancellationScope.nonCancellable(() => leaveBatchSafe(state, batchId));
  enterPhase(state, 'failed');
  throw ApplicationFailure.create({
    type: failureType(error) ?? failureTypes.CampaignFailed,
    message: `${state.error} (batch ${batchId}: ${left})`,
    nonRetryable: true,
    details: [{ batchId, atBolna: left }],
    ...(error instanceof Error ? { cause: error } : {}),
  });
}

/** What a failed campaign leaves at Bolna, after trying once to stop its batch. */
async function leaveBatchSafe(state: CampaignState, batchId: string): Promise<string> {
  if (state.batchStatus !== undefined && isTerminalBatchStatus(state.batchStatus)) {
    return `${state.batchStatus} at Bolna, nothing left to stop`;
  }
  try {
    const { stopped, deleted } = await bolna().stopBatch.executeWithOptions(
      { summary: `stop batch ${batchId}: the campaign failed` },
      [batchId],
    );
    if (deleted) return 'deleted at Bolna before it called anyone';
    return stopped ? 'stopped at Bolna' : 'already finished at Bolna';
  } catch (stopError) {
    return `left at Bolna and possibly still calling: stopping it failed (${messageOf(stopError)})`;
  }
}

/**
 * Whether the batch is done (see isBatchDone: the call counts decide too). Histories recorded before that decide
 * as they did then, by the status alone, so a campaign running through the deploy replays.
 */
function batchDone(snapshot: { status: string; counts: CallCounts }): boolean {
  if (!patched('batch-done-from-call-counts')) return isTerminalBatchStatus(snapshot.status);
  return isBatchDone(snapshot);
}

/** One look at the batch, recorded in the state the `progress` query shows. */
async function poll(
  input: CampaignInput,
  state: CampaignState,
  batchId: string,
): Promise<{ status: string; counts: CallCounts }> {
  const snapshot = await whileKeyRefused(input, state, () =>
    bolna().getBatch.executeWithOptions({ summary: `poll batch ${batchId}` }, [batchId]),
  );
  if (!knownBatchStatuses.includes(snapshot.status)) {
    warn(state, `Bolna reports batch status '${snapshot.status}', which its docs do not list`);
  }
  Object.assign(state, {
    batchStatus: snapshot.status,
    counts: snapshot.counts,
    lastPolledAt: snapshot.polledAt,
  });
  return snapshot;
}

async function collect(input: CampaignInput, state: CampaignState, batchId: string): Promise<void> {
  const { workflowId, firstExecutionRunId } = workflowInfo();
  const totals = await whileKeyRefused(input, state, () =>
    bolna().collectResults.executeWithOptions(
      { summary: `collect every call's result from batch ${batchId}` },
      [
        {
          batchId,
          agentId: input.agentId,
          campaignKey: campaignKey(workflowId, firstExecutionRunId),
          variableColumns: state.csv?.variableColumns ?? [],
          ...(state.csv ? { expectedRows: state.csv.rows } : {}),
          ...(state.warnings?.length ? { warnings: state.warnings } : {}),
        },
      ],
    ),
  );
  state.summary = { ...totals, batchStatus: state.batchStatus ?? 'unknown' };
  state.counts = totals.counts;
}

/**
 * After the batch exists, a refused key (revoked or rotated mid-campaign) must not abandon it: keep trying, and
 * say so in `progress`, for `keyRefusedRetryMinutes`, so an operator can restart the workers with the new key.
 * Then fail with the batch named (the failure cleanup tries to stop it).
 */
async function whileKeyRefused<T>(
  input: CampaignInput,
  state: CampaignState,
  step: () => Promise<T>,
): Promise<T> {
  for (;;) {
    try {
      const result = await step();
      if (state.keyRefusedSince !== undefined) {
        log.info('Bolna accepts the API key again', { batchId: state.batchId });
        delete state.keyRefusedSince;
        delete state.error;
      }
      return result;
    } catch (error) {
      if (failureType(error) !== failureTypes.BolnaAuthError) throw error;
      state.keyRefusedSince ??= new Date().toISOString();
      const retryMinutes = input.keyRefusedRetryMinutes ?? defaultKeyRefusedRetryMinutes;
      const giveUpAtMs = Date.parse(state.keyRefusedSince) + retryMinutes * minuteMs;
      const leftMs = giveUpAtMs - Date.now();
      if (leftMs <= 0) {
        throw ApplicationFailure.create({
          type: failureTypes.BolnaAuthError,
          message: `Bolna has refused the API key since ${state.keyRefusedSince}, for over ${retryMinutes} minutes`,
          nonRetryable: true,
          ...(error instanceof Error ? { cause: error } : {}),
        });
      }
      state.error =
        `Bolna refuses the API key (${messageOf(error)}); batch ${state.batchId ?? '?'} may still be calling. ` +
        `Restart the workers with a valid BOLNA_API_KEY: retrying until ${new Date(giveUpAtMs).toISOString()}`;
      log.warn('Bolna refuses the API key; retrying', { batchId: state.batchId, until: giveUpAtMs });
      showDetails(state);
      await sleep(Math.min(keyRetryIntervalMs, leftMs), { summary: 'until the refused key is tried again' });
    }
  }
}

function resultOf(state: CampaignState): CampaignResult {
  const outcome = state.phase !== 'stopped' ? 'completed' : state.timedOut ? 'timed-out' : 'stopped';
  countCampaignEnd(outcome);
  return {
    outcome,
    ...(outcome !== 'completed' && state.stopReason ? { stopReason: state.stopReason } : {}),
    ...(state.batchId ? { batchId: state.batchId, batchStatus: state.batchStatus ?? 'unknown' } : {}),
    ...state.summary,
    ...(state.warnings?.length ? { warnings: state.warnings } : {}),
  };
}

/**
 * Runs a step to completion even if the workflow is cancelled while it runs; but a workflow already cancelled
 * starts no new step (the cancellation is thrown here, and the cleanup stops whatever exists).
 */
async function runToCompletion<T>(step: () => Promise<T>): Promise<T> {
  const scope = CancellationScope.current();
  if (scope.consideredCancelled) await scope.cancelRequested;
  return CancellationScope.nonCancellable(step);
}

function enterPhase(state: CampaignState, phase: CampaignPhase): void {
  state.phase = phase;
  log.info(`Campaign phase: ${phase}`, { batchId: state.batchId });
  publish(state, { CampaignPhase: phase });
  showDetails(state);
}

/**
 * Makes the campaign findable (search attributes) and readable (current details) in the Web UI and the `temporal`
 * CLI from its first step. The search attributes the namespace has are asked once per campaign; histories recorded
 * before campaigns set any replay without them.
 */
async function showCampaign(input: CampaignInput, state: CampaignState): Promise<void> {
  if (state.searchAttributes === undefined && patched('campaign-search-attributes')) {
    state.searchAttributes = await registeredSearchAttributes.executeWithOptions(
      { summary: 'which search attributes the namespace has' },
      [],
    );
  }
  // Before validation the input may be anything: the name comes from the workflow ID until then.
  const validated = state.phase !== 'validating';
  publish(state, {
    CampaignName: validated ? campaignName(input) : campaignName(),
    CampaignPhase: state.phase,
    ...(validated ? { BolnaAgentId: input.agentId } : {}),
    ...(state.batchId ? { BolnaBatchId: state.batchId } : {}),
  });
  showDetails(state);
}

/** Sets the given search attributes, those the namespace has only (an unknown one would fail the workflow task). */
function publish(state: CampaignState, values: Partial<Record<CampaignSearchAttribute, string>>): void {
  const registered = state.searchAttributes ?? [];
  const updates: SearchAttributeUpdatePair[] = Object.entries(values)
    .filter(([name]) => registered.includes(name))
    .map(([name, value]) => ({ key: campaignSearchAttributes[name as CampaignSearchAttribute], value }));
  if (updates.length > 0) upsertSearchAttributes(updates);
}

/** The current details the Web UI shows; `nextPollAtMs` while the batch is being polled. */
function showDetails(state: CampaignState, nextPollAtMs?: number): void {
  setCurrentDetails(campaignDetails(state, nextPollAtMs));
}

/** The campaign's business name: given in the (validated) input, or its workflow ID without `campaign-`. */
function campaignName(input?: CampaignInput): string {
  return (input?.campaignName ?? workflowInfo().workflowId.replace(/^campaign-/, '')).slice(0, 200);
}

/** Notes something an operator should see in `progress` and the result, once. */
function warn(state: CampaignState, warning: string): void {
  state.warnings ??= [];
  if (state.warnings.includes(warning)) return;
  state.warnings.push(warning);
  log.warn(warning, { batchId: state.batchId });
}

function callsConnected(counts: CallCounts): number {
  return connectedCallStatuses.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
}

function pollIntervalMs(input: CampaignInput): number {
  return (input.pollIntervalSeconds ?? defaultPollIntervalSeconds) * 1000;
}

/** The wait before the next poll of the running batch: longer while it has long to go (see nextPollDelayMs). */
function nextPollMs(input: CampaignInput, state: CampaignState): number {
  const finishedCalls = Object.entries(state.counts)
    .filter(([status]) => isTerminalCallStatus(status))
    .reduce((sum, [, calls]) => sum + calls, 0);
  return nextPollDelayMs({
    rows: state.csv?.rows ?? 0,
    concurrency: state.concurrency,
    finishedCalls,
    runningForMs: Date.now() - Date.parse(stateValue(state.startsAt, 'startsAt')),
    minMs: pollIntervalMs(input),
    maxMs: defaultMaxPollIntervalMs,
  });
}

/** The safety-net poll while Bolna pushes the batch: never more often than the usual poll. */
function safetyNetPollMs(input: CampaignInput): number {
  return Math.max(pollIntervalMs(input), (input.webhookPollSeconds ?? defaultWebhookPollSeconds) * 1000);
}

function historyFull(input: CampaignInput): boolean {
  return input.maxHistoryEvents !== undefined && workflowInfo().historyLength >= input.maxHistoryEvents;
}

/** The `type` of the ApplicationFailure behind an activity failure (or of the failure itself). */
function failureType(error: unknown): string | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

/** The most specific message: an activity failure's own message only says which activity failed. */
function messageOf(error: unknown): string {
  const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

/** A value the campaign's state must hold by this phase; a continued run without it cannot go on. */
function stateValue<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw ApplicationFailure.nonRetryable(
      `campaign state has no ${what} (corrupt resume input?)`,
      failureTypes.CorruptCampaignState,
    );
  }
  return value;
}
