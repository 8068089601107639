import { randomBytes, randomUUID } from 'node:crypto';
import { callStateAt, chargeWallet, finalDoneAtMs, planCalls } from './call-plan';
import type { BatchEnd, CallState, PlannedCall } from './call-plan';
import { isE164 } from './e164';
import { localTimeRules } from './local-time-rules';
import { mixSeeds, seededRandom } from './random';
import { retryPolicy } from './retry-policy';
import type { RetryConfig } from './retry-policy';
import type { SimulatorSettings, StopEffect } from './settings';

/**
 * The simulator's state: every batch ever created and its calls. Batch and call statuses are computed from the
 * clock at each read, never advanced by timers: `created` → (schedule) `scheduled` → (start) `running` →
 * (every call final, or earlier in a variant) `completed`, or `stopped` after a stop, or `failed`/`canceled` when
 * a variant has Bolna give the batch up. A deleted batch is kept (tests count batches) but is not found by anyone.
 */

export type BatchStatus =
  'created' | 'scheduled' | 'running' | 'completed' | 'stopped' | 'failed' | 'canceled';

export interface BatchSchedule {
  /** The rounded start. */
  readonly startsAtMs: number;
  readonly bypassCallGuardrails: boolean;
  /** One per CSV row, in row order. */
  readonly calls: readonly PlannedCall[];
  /** When the last call reaches its final status (after Bolna's retries, if any). */
  readonly finishesAtMs: number;
  /**
   * When the batch reports itself finished (`completed`/`executed`): when its calls are all final, or in the
   * `executedReported: 'before-calls-final'` variant when the last call of the first pass hung up.
   */
  readonly reportsFinishedAtMs: number;
  /** When Bolna gives the batch up, and as what (`variants.batchGivenUp` at scheduling); never if it finishes first. */
  readonly givenUp: { readonly atMs: number; readonly status: 'failed' | 'canceled' } | undefined;
  /** Cost settings at scheduling, so a later change of settings does not reprice finished calls. */
  readonly costCentsPerMinute: number;
  /** What this plan reserved from the wallet, refunded if the batch is planned again. */
  readonly chargedCents: number;
}

export interface BatchStop {
  readonly atMs: number;
  readonly effect: StopEffect;
}

export interface SimBatch {
  readonly batchId: string;
  readonly agentId: string;
  /** The uploaded file's name, exactly: clients find a batch whose create response was lost by it. */
  readonly fileName: string;
  /** Rows in the uploaded file; `rows` leaves out those Bolna dropped (`variants.droppedContacts`). */
  readonly totalContacts: number;
  readonly createdAtMs: number;
  /** The CSV header and rows as uploaded; each row becomes `context_details.recipient_data`. */
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Whether each row's `contact_number` is E.164 (Bolna calls only those). */
  readonly callable: readonly boolean[];
  readonly executionIds: readonly string[];
  readonly fromPhoneNumbers: readonly string[];
  readonly retryConfig: RetryConfig | undefined;
  readonly webhookUrl: string | undefined;
  /** Creation order, which seeds the batch's call plan. */
  readonly sequence: number;
  /** Last change made by a request (creation, scheduling, a stop); call progress is added on reading. */
  updatedAtMs: number;
  schedule: BatchSchedule | undefined;
  /** When the batch was stopped, and what the stop did to calls already placed (`variants.stopEffect` then). */
  stopped: BatchStop | undefined;
  deletedAtMs: number | undefined;
}

export type NewBatch = Pick<
  SimBatch,
  | 'agentId'
  | 'fileName'
  | 'totalContacts'
  | 'columns'
  | 'rows'
  | 'fromPhoneNumbers'
  | 'retryConfig'
  | 'webhookUrl'
>;

/** What a test may read of the simulator's state (mutations go through the HTTP API only). */
export interface BatchReader {
  /** Batches ever created, deleted ones included. */
  readonly size: number;
  /** A live (not deleted) batch. */
  find(batchId: string): SimBatch | undefined;
  /** Every batch ever created, deleted ones included, oldest first. */
  list(): readonly SimBatch[];
  /** The batch's status at `nowMs`, in the quickstart's words. */
  status(batch: SimBatch, nowMs: number): BatchStatus;
  /** Each call's state at `nowMs`, in row order. */
  callStates(batch: SimBatch, nowMs: number): CallState[];
}

/** Mixed into a batch's seed for its retries' draws, which must not shift the draws of its first attempts. */
const retryStream = 0x7e7121;

export class BatchStore implements BatchReader {
  readonly #batches = new Map<string, SimBatch>();

  constructor(private readonly seed: number) {}

  get size(): number {
    return this.#batches.size;
  }

  find(batchId: string): SimBatch | undefined {
    const batch = this.#batches.get(batchId);
    return batch && batch.deletedAtMs === undefined ? batch : undefined;
  }

  list(): readonly SimBatch[] {
    return [...this.#batches.values()];
  }

  /** Live batches of one agent, newest first. */
  forAgent(agentId: string): SimBatch[] {
    return this.list()
      .filter((batch) => batch.agentId === agentId && batch.deletedAtMs === undefined)
      .reverse();
  }

  create(input: NewBatch, nowMs: number): SimBatch {
    const contactColumn = input.columns.indexOf('contact_number');
    const batch: SimBatch = {
      ...input,
      // Real ids are random: two simulators (or runs) never hand out the same one.
      batchId: randomBytes(16).toString('hex'),
      createdAtMs: nowMs,
      callable: input.rows.map((row) => isE164(row[contactColumn] ?? '')),
      executionIds: input.rows.map(() => randomUUID()),
      sequence: this.#batches.size,
      updatedAtMs: nowMs,
      schedule: undefined,
      stopped: undefined,
      deletedAtMs: undefined,
    };
    this.#batches.set(batch.batchId, batch);
    return batch;
  }

  /**
   * (Re)plans every call from the rounded start with the call settings and guardrails now in force (unless the
   * batch bypasses them), Bolna's retries included if the batch asked for them, and pays for them from the wallet
   * (a re-plan first refunds what the previous plan reserved). When the batch reports itself finished, or is given
   * up, follows the variants now in force. `zones` holds each row's time zones when a local-time setting needs
   * them (see `needsLocalTime`).
   */
  schedule(
    batch: SimBatch,
    when: { startsAtMs: number; bypassCallGuardrails: boolean; nowMs: number },
    settings: Pick<SimulatorSettings, 'calls' | 'account' | 'variants' | 'guardrails'>,
    zones: readonly (readonly string[])[] = [],
  ): void {
    const policy = retryPolicy(batch.retryConfig);
    const rules = localTimeRules(
      { calls: settings.calls, guardrails: when.bypassCallGuardrails ? undefined : settings.guardrails },
      (row) => {
        const rowZones = zones[row];
        if (rowZones === undefined) throw new Error(`the time zones of row ${row + 1} were not looked up`);
        return rowZones;
      },
      (row) => contactNumberOf(batch, row),
    );
    // Planned before the refund: a plan the guardrails cannot place fails without touching the wallet.
    const planned = planCalls({
      callable: batch.callable,
      startsAtMs: when.startsAtMs,
      settings: settings.calls,
      rules,
      random: seededRandom(mixSeeds(this.seed, batch.sequence)),
      retries: policy && { policy, random: seededRandom(mixSeeds(this.seed, batch.sequence, retryStream)) },
    });
    settings.account.walletCents += batch.schedule?.chargedCents ?? 0;
    const { calls, chargedCents } = chargeWallet(
      planned,
      settings.account,
      settings.calls.costCentsPerMinute,
    );
    // A reduce, not Math.max(...): a spread of a million calls would overflow the stack.
    const latest = (timeOf: (call: PlannedCall) => number) =>
      calls.reduce((latestMs, call) => Math.max(latestMs, timeOf(call)), when.startsAtMs);
    const finishesAtMs = latest(finalDoneAtMs);
    const reportsFinishedAtMs =
      settings.variants.executedReported === 'before-calls-final'
        ? latest((call) => call.hangupAtMs)
        : finishesAtMs;
    const giveUp = settings.variants.batchGivenUp;
    const givenUpAtMs = when.startsAtMs + (giveUp?.afterStartMs ?? Infinity);
    batch.schedule = {
      chargedCents,
      startsAtMs: when.startsAtMs,
      bypassCallGuardrails: when.bypassCallGuardrails,
      calls,
      finishesAtMs,
      reportsFinishedAtMs,
      givenUp:
        giveUp && givenUpAtMs < reportsFinishedAtMs
          ? { atMs: givenUpAtMs, status: giveUp.status }
          : undefined,
      costCentsPerMinute: settings.calls.costCentsPerMinute,
    };
    batch.updatedAtMs = when.nowMs;
  }

  stop(batch: SimBatch, nowMs: number, effect: StopEffect): void {
    batch.stopped = { atMs: nowMs, effect };
    batch.updatedAtMs = nowMs;
  }

  delete(batch: SimBatch, nowMs: number): void {
    batch.deletedAtMs = nowMs;
  }

  status(batch: SimBatch, nowMs: number): BatchStatus {
    if (batch.stopped !== undefined) return 'stopped';
    const { schedule } = batch;
    if (schedule === undefined) return 'created';
    if (nowMs < schedule.startsAtMs) return 'scheduled';
    if (schedule.givenUp && nowMs >= schedule.givenUp.atMs) return schedule.givenUp.status;
    return nowMs >= schedule.reportsFinishedAtMs ? 'completed' : 'running';
  }

  callState(batch: SimBatch, index: number, nowMs: number): CallState {
    return callStateAt(
      batch.schedule?.calls[index],
      { createdAtMs: batch.createdAtMs, startsAtMs: batch.schedule?.startsAtMs },
      this.end(batch),
      nowMs,
    );
  }

  /** How the batch ends early, if it does: its stop, or Bolna giving it up (which ends every call at once). */
  end(batch: SimBatch): BatchEnd | undefined {
    if (batch.stopped) return { ...batch.stopped, callStatus: 'stopped' };
    const givenUp = batch.schedule?.givenUp;
    return givenUp && { atMs: givenUp.atMs, effect: 'ends-calls', callStatus: 'canceled' };
  }

  callStates(batch: SimBatch, nowMs: number): CallState[] {
    return batch.rows.map((_, index) => this.callState(batch, index, nowMs));
  }
}

/** The row's `contact_number`, as uploaded. */
export function contactNumberOf(batch: SimBatch, row: number): string {
  return batch.rows[row]?.[batch.columns.indexOf('contact_number')] ?? '';
}

/** The row as the agent gets it: column name → value (Bolna's `context_details.recipient_data`). */
export function recipientDataOf(batch: SimBatch, row: number): Record<string, string> {
  const values = batch.rows[row] ?? [];
  return Object.fromEntries(batch.columns.map((column, i) => [column, values[i] ?? '']));
}
