import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { ActivityOptions, SearchAttributeUpdatePair } from '@temporalio/common';
import {
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
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CampaignActivities } from '../activities';
import type { WavePlan } from '../activities/plan-wave';
import { csvForRun } from '../outreach/csv-for-run';
import { failureTypes } from '../platform/failures';
import { batchCampaign } from './batch-campaign';
import { campaignKey } from './campaign-key';
import { bolnaTaskQueues, stopSignal } from './definitions';
import type { CampaignInput, CampaignResult } from './definitions';
import { outreachProgressQuery, pauseSignal, resumeSignal } from './outreach-definitions';
import type {
  ContactCounts,
  OutreachInput,
  OutreachOutcome,
  OutreachPhase,
  OutreachResult,
  OutreachState,
  WaveSummary,
} from './outreach-definitions';
import { outreachDetails } from './outreach-details';
import { resumedState } from './resumed-state';
import { campaignSearchAttributes } from './search-attributes';
import type { CampaignSearchAttribute } from './search-attributes';

const heartbeatTimeout = '20 seconds';

/** The ledger's steps: streamed files, long for a million contacts; retried until they pass. */
const ledgerSteps: ActivityOptions = {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout,
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
};
const { planWave, recordWave, finishOutreach } = proxyActivities<CampaignActivities>(ledgerSteps);
/** The first step checks the input and the files: a retry cannot fix what it refuses. */
const { prepareOutreach } = proxyActivities<CampaignActivities>({
  ...ledgerSteps,
  retry: { ...ledgerSteps.retry, maximumAttempts: 5 },
});

/** A quick in-process question to the worker: which search attributes the namespace has. It never fails. */
const { registeredSearchAttributes } = proxyLocalActivities<CampaignActivities>({
  startToCloseTimeout: '10 seconds',
});

/** A running wave's spend and goal, read from Bolna: on the queue that shares Bolna's rate budget. */
function measureWave() {
  return proxyActivities<CampaignActivities>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout,
    taskQueue: bolnaTaskQueues(workflowInfo().taskQueue).calls,
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
  }).measureWave;
}

/** Set by the server on a run a Schedule started: when the schedule meant it to start. */
const scheduledStartTime = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

const minuteMs = 60_000;
/** A wave is stopped this long before its window closes, so that no call is placed after it. */
const stopAheadMs = minuteMs;
const defaultBudgetCheckMinutes = 5;
/** Wave summaries kept in the state (and so in `progress` and continue-as-new): every wave is in the results. */
const keptWaves = 50;

/**
 * A campaign of several waves, each one Bolna batch run by a child `batchCampaign` (with all its guarantees: one
 * batch, stop in any phase, collected results): prepare the ledger → plan a wave → wait for its start, or run it
 * and record its calls → … until no contact has a chance left, the deadline, the budget, the goal, or a stop.
 * `pause` stops the running wave (its uncalled contacts go back to pending) and holds until `resume`. The contacts
 * live in the ledger (src/outreach/ledger.ts) in the results store; the history holds counts and wave summaries.
 */
export async function outreachCampaign(input: OutreachInput): Promise<OutreachResult> {
  const state: OutreachState = resumedState(input) ?? {
    phase: 'preparing',
    contacts: noContacts(),
    waves: [],
    wavesRun: 0,
    spendCents: 0,
    paused: false,
    stopRequested: false,
  };
  setHandler(outreachProgressQuery, () => state);
  setHandler(pauseSignal, (reason) => {
    if (ended(state) || state.paused) return;
    state.paused = true;
    state.pauseReason = reason || 'paused';
    log.info('Pause requested', { reason: state.pauseReason });
  });
  setHandler(resumeSignal, () => {
    if (!state.paused) return;
    state.paused = false;
    delete state.pauseReason;
    log.info('Resumed');
  });
  setHandler(stopSignal, (reason) => {
    if (ended(state) || state.stopRequested) return;
    state.stopRequested = true;
    state.stopReason = reason || 'stop requested';
    log.info('Stop requested', { reason: state.stopReason });
  });
  try {
    return await runOutreach(input, state);
  } catch (error) {
    if (isCancellation(error)) {
      state.stopRequested = true;
      state.stopReason ??= 'workflow cancelled';
      return await CancellationScope.nonCancellable(() => finish(input, state, 'stopped'));
    }
    if (error instanceof ContinueAsNew) throw error;
    state.error = messageOf(error);
    enterPhase(state, 'failed');
    throw error;
  }
}

async function runOutreach(input: OutreachInput, state: OutreachState): Promise<OutreachResult> {
  // Findable in the Web UI and `temporal workflow list` like a batch campaign; runs started before this replay as
  // they ran, without.
  if (state.searchAttributes === undefined && patched('outreach-search-attributes')) {
    state.searchAttributes = await registeredSearchAttributes.executeWithOptions(
      { summary: 'which search attributes the namespace has' },
      [],
    );
    publish(state, { CampaignName: outreachName(input), CampaignPhase: state.phase });
  }
  if (state.phase === 'preparing') {
    // A run a Schedule started calls the list of its own day (`leads/{date}.csv`), in the schedule's zone.
    const { startTime, typedSearchAttributes } = workflowInfo();
    const runDay = typedSearchAttributes.get(scheduledStartTime) ?? startTime;
    const csv = csvForRun(input.csv, runDay.getTime(), input.scheduleTimeZone ?? 'UTC');
    const prepared = await prepareOutreach.executeWithOptions(
      { summary: 'check the input, the contact list and the do-not-call lists; write the ledger' },
      [{ campaign: { ...input, csv }, campaignKey: ownKey(), startedAtMs: startTime.getTime() }],
    );
    publish(state, { BolnaAgentId: input.agentId });
    Object.assign(state, {
      ledger: prepared.ledger,
      rows: prepared.rows,
      variableColumns: prepared.variableColumns,
      contacts: prepared.contacts,
    });
  }
  for (;;) {
    const end = reasonToEnd(input, state);
    if (end) return finish(input, state, end);
    if (state.paused) {
      enterPhase(state, 'paused');
      await untilOrFor(() => !state.paused || state.stopRequested, untilDeadline(input));
      continue;
    }
    if (workflowInfo().continueAsNewSuggested) {
      log.info('Continuing as new to keep history bounded', { waves: state.wavesRun });
      await continueAsNew<typeof outreachCampaign>({ ...input, resume: state });
    }
    enterPhase(state, 'planning');
    const plan = await planWave.executeWithOptions({ summary: `plan wave ${state.wavesRun + 1}` }, [
      {
        campaignKey: ownKey(),
        ledger: required(state.ledger, 'ledger'),
        wave: state.wavesRun + 1,
        nowMs: Date.now(),
        variableColumns: state.variableColumns ?? [],
        ...(input.window ? { window: input.window } : {}),
        ...(input.deadline ? { deadline: input.deadline } : {}),
        ...(input.maxCallsPerNumberPerDay ? { maxCallsPerNumberPerDay: input.maxCallsPerNumberPerDay } : {}),
      },
    ]);
    if (plan.kind === 'done') return finish(input, state, doneOutcome(input, state));
    if (plan.kind === 'wait') {
      state.nextWave = { at: plan.startAt, why: plan.reason };
      enterPhase(state, 'waiting');
      const untilMs = Date.parse(plan.planAt) - Date.now();
      await condition(() => state.paused || state.stopRequested, Math.max(untilMs, 1));
      continue;
    }
    delete state.nextWave;
    await runWave(input, state, plan);
  }
}

/** Runs one wave as a child batch campaign, stops it when it must, and records its calls in the ledger. */
async function runWave(
  input: OutreachInput,
  state: OutreachState,
  plan: Extract<WavePlan, { kind: 'wave' }>,
): Promise<void> {
  const number = state.wavesRun + 1;
  state.wavesRun = number;
  state.ledger = plan.ledger;
  state.contacts = plan.counts;
  const wave: WaveSummary = {
    number,
    workflowId: `${workflowInfo().workflowId}-wave-${number}`,
    contacts: plan.contacts,
    startAt: plan.startAt,
    ...(plan.stopAt ? { stopAt: plan.stopAt } : {}),
  };
  state.waves = [...state.waves, wave].slice(-keptWaves);
  log.info('Wave planned', {
    wave: number,
    contacts: plan.contacts,
    startAt: plan.startAt,
    why: plan.reason,
  });
  enterPhase(state, 'calling');

  const stopAtMs = plan.stopAt ? Date.parse(plan.stopAt) - stopAheadMs : undefined;
  const child = await startChild(batchCampaign, {
    workflowId: wave.workflowId,
    args: [waveInput(input, plan, number, stopAtMs)],
    parentClosePolicy: 'REQUEST_CANCEL',
    staticSummary: `Wave ${number} of outreach campaign ${workflowInfo().workflowId}: ${plan.contacts} contacts`,
  });
  let result: CampaignResult | undefined;
  let failure: unknown;
  const finished = child.result().then(
    (value) => (result = value),
    (error: unknown) => (failure = error ?? new Error('the wave failed')),
  );
  const over = () => result !== undefined || failure !== undefined;
  const fileName = `${campaignKey(wave.workflowId, child.firstExecutionRunId)}.csv`;
  let stopped = false;
  while (!over()) {
    if (stopped) {
      // Asked to stop: the wave's batch campaign drains its calls and collects; nothing more to time.
      await condition(over);
      break;
    }
    const checkMs = input.budget || input.goal ? checkEveryMs(input) : undefined;
    const untilStopMs = stopAtMs === undefined ? undefined : stopAtMs - Date.now();
    const waitMs = Math.min(checkMs ?? Infinity, untilStopMs ?? Infinity);
    const woken = await untilOrFor(
      () => over() || state.stopRequested || state.paused,
      Number.isFinite(waitMs) ? Math.max(waitMs, 1) : undefined,
    );
    if (over()) continue;
    const why = woken
      ? (state.stopReason ?? `paused: ${state.pauseReason ?? ''}`)
      : stopAtMs !== undefined && Date.now() >= stopAtMs
        ? stopAtReason(input, plan)
        : await overBudgetOrGoal(input, state, fileName);
    if (why === undefined) continue;
    stopped = true;
    wave.stopReason = why;
    log.info('Stopping the wave', { wave: number, why });
    await child.signal(stopSignal, why);
  }
  await finished;
  if (failure !== undefined) {
    throw ApplicationFailure.create({
      type: failureTypes.CampaignFailed,
      message: `wave ${number} (${wave.workflowId}) failed: ${messageOf(failure)}; its contacts stay in the wave in the ledger`,
      nonRetryable: true,
    });
  }
  await record(input, state, wave, required(result, 'wave result'));
}

/** The ledger after the wave: calls made are attempts; contacts never called go back to waiting. */
async function record(
  input: OutreachInput,
  state: OutreachState,
  wave: WaveSummary,
  result: CampaignResult,
): Promise<void> {
  const recorded = await recordWave.executeWithOptions({ summary: `record wave ${wave.number}'s calls` }, [
    {
      campaignKey: ownKey(),
      ledger: required(state.ledger, 'ledger'),
      wave: wave.number,
      ...(result.batchId ? { batchId: result.batchId } : {}),
      ...(result.files ? { executions: result.files.jsonl } : {}),
      nowMs: Date.now(),
      ...(input.retry ? { retry: input.retry } : {}),
      ...(input.goal ? { goal: input.goal } : {}),
    },
  ]);
  Object.assign(state, {
    ledger: recorded.ledger,
    contacts: recorded.contacts,
    spendCents: recorded.spendCents,
    ...(input.goal ? { goalReached: recorded.goalReached } : {}),
  });
  if (result.batchId && result.files) {
    state.executionsFiles = [
      ...(state.executionsFiles ?? []),
      { batchId: result.batchId, executions: result.files.jsonl },
    ];
  }
  Object.assign(wave, {
    ...(result.batchId ? { batchId: result.batchId } : {}),
    counts: recorded.calls,
    costCents: recorded.costCents,
    outcome: result.outcome === 'completed' ? 'completed' : result.batchId ? 'stopped' : 'missed',
    ...(result.stopReason && !wave.stopReason ? { stopReason: result.stopReason } : {}),
  });
  log.info('Wave recorded', { wave: wave.number, calls: recorded.calls, contacts: recorded.contacts });
  // Waves that would fail the same way again hold the campaign for an operator instead of repeating.
  const placed = Object.values(recorded.calls).reduce((sum, calls) => sum + calls, 0);
  if (recorded.balanceLow > 0) {
    pauseForOperator(
      state,
      `Bolna did not place ${recorded.balanceLow} call(s) of wave ${wave.number}: the wallet ran out (balance-low). Top up, then resume`,
    );
  } else if (placed === 0 && result.files !== undefined && wave.contacts > 0) {
    // The batch ran and nobody was called: Bolna held the calls back (the agent's calling hours, `rescheduled`,
    // or something else). Another wave in the same window would do the same, day after day.
    const heldBack = recorded.rescheduled > 0 ? ` (${recorded.rescheduled} rescheduled)` : '';
    pauseForOperator(
      state,
      `Bolna placed no call of wave ${wave.number} while its batch ran${heldBack}: check the agent's calling hours (guardrails) against the window, or set bypassCallGuardrails, then resume`,
    );
  }
}

function pauseForOperator(state: OutreachState, reason: string): void {
  if (state.paused) return;
  state.paused = true;
  state.pauseReason = reason;
  warn(state, reason);
}

/** While a wave runs with a budget or a goal: measure it, and say why to stop it, if it must stop. */
async function overBudgetOrGoal(
  input: OutreachInput,
  state: OutreachState,
  fileName: string,
): Promise<string | undefined> {
  const measured = await measureWave().executeWithOptions({ summary: "measure the running wave's spend" }, [
    { agentId: input.agentId, fileName, ...(input.goal ? { goal: input.goal } : {}) },
  ]);
  const spend = state.spendCents + measured.costCents;
  if (input.budget && spend >= input.budget.maxCost) {
    return `the budget is spent: ${spend} of ${input.budget.maxCost} (cost units)`;
  }
  const reached = (state.goalReached ?? 0) + measured.goalReached;
  if (input.goal && reached >= input.goal.count) {
    return `the goal is reached: ${reached} contacts with ${input.goal.field} = ${String(input.goal.equals)}`;
  }
  return undefined;
}

/** Why the campaign ends now, if it does. */
function reasonToEnd(input: OutreachInput, state: OutreachState): OutreachOutcome | undefined {
  if (state.stopRequested) return 'stopped';
  if (input.deadline && Date.now() >= Date.parse(input.deadline)) return 'deadline';
  if (input.budget && state.spendCents >= input.budget.maxCost) return 'budget';
  if (input.goal && (state.goalReached ?? 0) >= input.goal.count) return 'goal';
  return undefined;
}

/**
 * Why a campaign with no wave left to plan ended: at the deadline only if contacts were still waiting for a chance
 * that lies past it; a campaign that reached everyone before its deadline completed.
 */
function doneOutcome(input: OutreachInput, state: OutreachState): OutreachOutcome {
  const waiting = state.contacts.pending + state.contacts['retry-waiting'];
  return input.deadline && waiting > 0 ? 'deadline' : 'completed';
}

/**
 * The per-contact results and the report. Contacts still waiting expire when their chances are over (the deadline,
 * or no window opens again); after a stop, a spent budget or a reached goal they stay where they were.
 */
async function finish(
  input: OutreachInput,
  state: OutreachState,
  outcome: OutreachOutcome,
): Promise<OutreachResult> {
  state.outcome = outcome;
  enterPhase(state, 'finishing');
  const finished = await finishOutreach.executeWithOptions(
    { summary: 'write the per-contact results and the report' },
    [
      {
        campaignKey: ownKey(),
        workflowId: workflowInfo().workflowId,
        agentId: input.agentId,
        ledger: required(state.ledger, 'ledger'),
        variableColumns: state.variableColumns ?? [],
        expire: outcome === 'deadline' || outcome === 'completed',
        waves: state.executionsFiles ?? [],
        ...(state.warnings?.length ? { warnings: state.warnings } : {}),
      },
    ],
  );
  Object.assign(state, { ledger: finished.ledger, contacts: finished.contacts, results: finished.files });
  enterPhase(state, outcome === 'stopped' ? 'stopped' : 'completed');
  return {
    outcome,
    ...(outcome !== 'completed' && state.stopReason ? { stopReason: state.stopReason } : {}),
    contacts: state.contacts,
    waves: state.wavesRun,
    spendCents: state.spendCents,
    ...(state.goalReached !== undefined ? { goalReached: state.goalReached } : {}),
    files: finished.files,
    ...(state.warnings?.length ? { warnings: state.warnings } : {}),
  };
}

/** The settings of `batchCampaign` an outreach hands on to each wave as they are. */
const batchSettings = [
  'fromPhoneNumbers',
  'retryConfig',
  'webhookUrl',
  'bypassCallGuardrails',
  'pollIntervalSeconds',
  'webhookPollSeconds',
  'runningTimeoutMinutes',
  'keyRefusedRetryMinutes',
  'stopDrainMinutes',
  'maxHistoryEvents',
] as const satisfies readonly (keyof CampaignInput)[];

/** The wave's batch campaign: the outreach's batch settings, the wave's list, its start and its latest start. */
function waveInput(
  input: OutreachInput,
  plan: Extract<WavePlan, { kind: 'wave' }>,
  number: number,
  stopAtMs: number | undefined,
): CampaignInput {
  const settings = Object.fromEntries(
    batchSettings.flatMap((name) => (input[name] === undefined ? [] : [[name, input[name]]])),
  ) as Partial<CampaignInput>;
  return {
    ...settings,
    agentId: input.agentId,
    campaignName: `${input.campaignName ?? workflowInfo().workflowId} wave ${number}`.slice(0, 200),
    csv: plan.csv,
    startAt: plan.startAt,
    ...(stopAtMs !== undefined ? { startBy: new Date(stopAtMs).toISOString() } : {}),
  };
}

function stopAtReason(input: OutreachInput, plan: Extract<WavePlan, { kind: 'wave' }>): string {
  return input.deadline && plan.stopAt === new Date(Date.parse(input.deadline)).toISOString()
    ? `the deadline ${input.deadline} is near`
    : `the calling window closes at ${plan.stopAt ?? '?'}`;
}

/** `condition` with a timeout when there is one; true when `test` became true. */
async function untilOrFor(test: () => boolean, timeoutMs: number | undefined): Promise<boolean> {
  if (timeoutMs === undefined) {
    await condition(test);
    return true;
  }
  return condition(test, timeoutMs);
}

function checkEveryMs(input: OutreachInput): number {
  return (input.budget?.checkEveryMinutes ?? defaultBudgetCheckMinutes) * minuteMs;
}

function untilDeadline(input: OutreachInput): number | undefined {
  return input.deadline ? Math.max(Date.parse(input.deadline) - Date.now(), 1) : undefined;
}

function ownKey(): string {
  const { workflowId, firstExecutionRunId } = workflowInfo();
  return campaignKey(workflowId, firstExecutionRunId);
}

/** Contacts still waiting for a call (their first, or a retry). */
function ended(state: OutreachState): boolean {
  return ['finishing', 'completed', 'stopped', 'failed'].includes(state.phase);
}

function enterPhase(state: OutreachState, phase: OutreachPhase): void {
  if (state.phase !== phase) {
    log.info(`Outreach phase: ${phase}`, { waves: state.wavesRun });
    publish(state, { CampaignPhase: phase });
  }
  state.phase = phase;
  setCurrentDetails(outreachDetails(state));
}

/** Sets the given search attributes, those the namespace has only (an unknown one would fail the workflow task). */
function publish(state: OutreachState, values: Partial<Record<CampaignSearchAttribute, string>>): void {
  const registered = state.searchAttributes ?? [];
  const updates: SearchAttributeUpdatePair[] = Object.entries(values)
    .filter(([name]) => registered.includes(name))
    .map(([name, value]) => ({ key: campaignSearchAttributes[name as CampaignSearchAttribute], value }));
  if (updates.length > 0) upsertSearchAttributes(updates);
}

/** The campaign's business name (never personal data): given, or its workflow ID without `outreach-`. */
function outreachName(input: OutreachInput): string {
  return (input.campaignName ?? workflowInfo().workflowId.replace(/^outreach-/, '')).slice(0, 200);
}

function warn(state: OutreachState, warning: string): void {
  state.warnings ??= [];
  if (!state.warnings.includes(warning)) state.warnings.push(warning);
}

function noContacts(): ContactCounts {
  return {
    pending: 0,
    'in-wave': 0,
    'retry-waiting': 0,
    answered: 0,
    exhausted: 0,
    suppressed: 0,
    expired: 0,
  };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw ApplicationFailure.nonRetryable(`outreach state has no ${what}`, failureTypes.CorruptCampaignState);
  }
  return value;
}

function messageOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
