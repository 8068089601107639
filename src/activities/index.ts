import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { BolnaNotFoundError } from '../bolna/errors';
import type { BolnaClient } from '../bolna/client';
import type { Clock } from '../clock';
import { checkCampaignInput } from '../campaign-input';
import { isCountryCode, validateCampaignCsv } from '../csv';
import type { CampaignInput, CallCounts, CsvFacts, ResultsSummary } from '../workflows/definitions';
import { fetchCsvSource } from './csv-source';
import { withFailureMapping } from './failures';
import { withHeartbeat } from './heartbeat';
import { ownerOnlyDirectory } from '../file-modes';
import { ResultsWriter } from './results-writer';
import { chooseScheduledAt, roundUpToMark } from './schedule-time';
import type { ScheduleRules } from './schedule-time';
import { parseBolnaTimestamp, parseIsoWithOffset } from '../bolna/timestamps';

export interface ActivityDeps {
  bolna: Pick<
    BolnaClient,
    | 'getAccount'
    | 'createBatch'
    | 'listAgentBatches'
    | 'scheduleBatch'
    | 'getBatch'
    | 'stopBatch'
    | 'deleteBatch'
    | 'streamExecutions'
  >;
  /** "Now" for scheduling. Production: the system clock; time-skipping tests: the test server's clock. */
  clock: Clock;
  /** Root folder for each campaign's clean CSV and results. */
  resultsDir: string;
  rules: ScheduleRules;
}

export interface ValidateCsvInput {
  campaign: CampaignInput;
  /** Folder name for this campaign's files (the workflow ID). */
  campaignKey: string;
}

export interface CreateBatchInput {
  agentId: string;
  csvPath: string;
  /** Unique per campaign; it is how a retry finds the batch an earlier attempt created. */
  fileName: string;
  fromPhoneNumbers?: string[];
  retryConfig?: CampaignInput['retryConfig'];
  webhookUrl?: string;
}

export interface ScheduleInput {
  batchId: string;
  startAt?: string;
  bypassCallGuardrails?: boolean;
}

export interface ScheduleOutcome {
  /** What we sent, with a numeric offset. */
  scheduledAt: string;
  /** When Bolna will start: what it reports, or the request rounded up to the next mark. */
  startsAt: string;
}

export interface BatchSnapshot {
  status: string;
  counts: CallCounts;
  polledAt: string;
}

export interface StopOutcome {
  /** The batch will place no more calls because of this stop. */
  stopped: boolean;
  /** Stop was refused for a batch not yet started, so it was deleted instead (there are no results to collect). */
  deleted: boolean;
}

export interface CollectInput {
  batchId: string;
  campaignKey: string;
  variableColumns: string[];
}

/** Builds the activities around their dependencies, so tests can hand in a simulator-backed client and a clock. */
export function createActivities(deps: ActivityDeps) {
  // Workflow IDs are chosen by whoever starts the workflow; never let one climb out of the results folder.
  const campaignDir = (campaignKey: string) =>
    join(deps.resultsDir, campaignKey.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_'));
  const nowMs = async () => deps.clock.now();

  /** Fetches (if a URL) and validates the CSV, and writes the normalised copy that will be uploaded. */
  async function validateCsv(input: ValidateCsvInput): Promise<CsvFacts> {
    // The first step checks the whole input, so a wrong agent id or caller ID fails here, before any upload.
    checkCampaignInput(input.campaign, await nowMs());
    const { defaultCountry } = input.campaign;
    const directory = campaignDir(input.campaignKey);
    await mkdir(directory, { recursive: true, mode: ownerOnlyDirectory });
    const source = await fetchCsvSource(input.campaign.csv, join(directory, 'source.csv'));
    const cleanCsvPath = join(directory, 'contacts.csv');
    const summary = await validateCampaignCsv(source, {
      outputPath: cleanCsvPath,
      ...(defaultCountry && isCountryCode(defaultCountry) ? { defaultCountry } : {}),
    });
    return {
      rows: summary.rows,
      variableColumns: summary.variableColumns,
      cleanCsvPath,
      sha256: summary.sha256 ?? '',
    };
  }

  /**
   * Asks Bolna, with calls that cost nothing, whether the key works and the agent exists, so a wrong key or agent
   * fails here with one clear error instead of at the upload.
   */
  async function checkBolnaAccess(agentId: string): Promise<void> {
    const account = await deps.bolna.getAccount();
    try {
      await deps.bolna.listAgentBatches(agentId);
    } catch (error) {
      if (!(error instanceof BolnaNotFoundError)) throw error;
      throw ApplicationFailure.create({
        type: 'UnknownAgent',
        message: `Bolna has no agent ${agentId} on this account (${error.message})`,
        nonRetryable: true,
      });
    }
    // An empty wallet is not refused (it may be topped up before the start), but every call would end balance-low.
    if (typeof account.wallet === 'number' && account.wallet <= 0) {
      log.warn('The Bolna wallet is empty: calls will end as balance-low unless it is topped up', {
        agentId,
      });
    }
  }

  /**
   * Creates the batch exactly once. Bolna has no idempotency key, so the upload carries a file name unique to
   * this campaign. A retry (the earlier attempt's response lost, or its worker dead) first looks for that name among
   * the agent's batches. An earlier request can also land late, while the retry uploads again; so a retry looks once
   * more afterwards and keeps only the oldest batch of that name, deleting the others. They were never scheduled,
   * so they had called nobody.
   */
  async function createBatch(input: CreateBatchInput): Promise<{ batchId: string }> {
    const isRetry = Context.current().info.attempt > 1;
    if (isRetry) {
      const existing = await keepOneBatchNamed(input.agentId, input.fileName);
      if (existing) {
        log.info('Found the batch an earlier attempt created', {
          batchId: existing,
          fileName: input.fileName,
        });
        return { batchId: existing };
      }
    }
    const created = await deps.bolna.createBatch({
      agentId: input.agentId,
      csvPath: input.csvPath,
      fileName: input.fileName,
      ...(input.fromPhoneNumbers ? { fromPhoneNumbers: input.fromPhoneNumbers } : {}),
      ...(input.retryConfig ? { retryConfig: input.retryConfig } : {}),
      ...(input.webhookUrl ? { webhookUrl: input.webhookUrl } : {}),
    });
    log.info('Created Bolna batch', { batchId: created.batch_id, fileName: input.fileName });
    const batchId = isRetry
      ? ((await keepOneBatchNamed(input.agentId, input.fileName)) ?? created.batch_id)
      : created.batch_id;
    return { batchId };
  }

  /** The oldest not-yet-scheduled batch uploaded under `fileName`, after deleting any younger twins. */
  async function keepOneBatchNamed(agentId: string, fileName: string): Promise<string | undefined> {
    const named = (await deps.bolna.listAgentBatches(agentId))
      .filter((batch) => batch.file_name === fileName)
      .sort(
        (a, b) =>
          (parseBolnaTimestamp(a.created_at) ?? 0) - (parseBolnaTimestamp(b.created_at) ?? 0) ||
          a.batch_id.localeCompare(b.batch_id),
      );
    const [oldest, ...twins] = named;
    for (const twin of twins) {
      // Only a batch that was never scheduled can be a twin made by our own retries: it has called nobody.
      if (twin.status !== 'created') continue;
      await deps.bolna.deleteBatch(twin.batch_id);
      log.warn('Deleted a second batch made by a retried upload', {
        batchId: twin.batch_id,
        kept: oldest?.batch_id,
      });
    }
    return oldest?.batch_id;
  }

  /**
   * Schedules the batch. The time is chosen here, from a real clock at the moment of the call, so it is at least
   * the lead ahead when Bolna reads it however long the workflow took to get here. The start we report is the one
   * Bolna will use (read back from Bolna when it tells us, else the request rounded up to the next mark).
   */
  async function scheduleBatch(input: ScheduleInput): Promise<ScheduleOutcome> {
    if (Context.current().info.attempt > 1) {
      // An earlier attempt may have scheduled it already (its response lost): don't move the start again.
      const batch = await deps.bolna.getBatch(input.batchId);
      const alreadyAt = parseBolnaTimestamp(batch.scheduled_at);
      if (batch.status !== 'created' && alreadyAt !== undefined) return outcome(alreadyAt, alreadyAt);
    }
    const requestedMs = input.startAt === undefined ? undefined : parseIsoWithOffset(input.startAt).getTime();
    const scheduledAtMs = chooseScheduledAt(await nowMs(), deps.rules, requestedMs);
    const response = await deps.bolna.scheduleBatch(input.batchId, {
      scheduledAt: new Date(scheduledAtMs),
      ...(input.bypassCallGuardrails === undefined
        ? {}
        : { bypassCallGuardrails: input.bypassCallGuardrails }),
    });
    const reported =
      parseBolnaTimestamp(response.startsAt) ??
      parseBolnaTimestamp((await deps.bolna.getBatch(input.batchId)).scheduled_at);
    const scheduled = outcome(scheduledAtMs, reported ?? scheduledAtMs);
    log.info('Scheduled Bolna batch', { batchId: input.batchId, ...scheduled });
    return scheduled;
  }

  /** Rounding what Bolna reported is a no-op if it reports the real start, and right if it echoes the request. */
  function outcome(scheduledAtMs: number, reportedStartMs: number): ScheduleOutcome {
    return {
      scheduledAt: new Date(scheduledAtMs).toISOString(),
      startsAt: new Date(roundUpToMark(reportedStartMs, deps.rules)).toISOString(),
    };
  }

  /** One poll: the batch's status and its calls per status. */
  async function getBatch(batchId: string): Promise<BatchSnapshot> {
    const batch = await deps.bolna.getBatch(batchId);
    return {
      status: batch.status,
      counts: batch.execution_status ?? {},
      polledAt: new Date(await nowMs()).toISOString(),
    };
  }

  /**
   * Stops the batch at Bolna. Already finished or stopped is fine: there is nothing left to stop. A batch Bolna no
   * longer knows was deleted (by an earlier attempt whose answer was lost, or by someone else): it can call nobody.
   */
  async function stopBatch(batchId: string): Promise<StopOutcome> {
    try {
      return await stopOrDelete(batchId);
    } catch (error) {
      if (!(error instanceof BolnaNotFoundError)) throw error;
      log.warn('The batch no longer exists at Bolna; nothing to stop', { batchId });
      return { stopped: true, deleted: true };
    }
  }

  async function stopOrDelete(batchId: string): Promise<StopOutcome> {
    if ((await deps.bolna.stopBatch(batchId)).stopped) return { stopped: true, deleted: false };
    // Bolna says "not queued or running". Finished is fine; but if the batch is still waiting for its start, that
    // answer would leave it to call everyone later, so delete it: a batch that has not started loses nothing.
    const { status } = await deps.bolna.getBatch(batchId);
    if (status !== 'created' && status !== 'scheduled') return { stopped: false, deleted: false };
    await deps.bolna.deleteBatch(batchId);
    log.warn('Bolna would not stop a batch that had not started; deleted it instead', { batchId, status });
    return { stopped: true, deleted: true };
  }

  /**
   * Streams every execution into the campaign's results files and returns only the totals: the full list can be
   * tens of MB, far over what a Temporal payload may carry.
   */
  async function collectResults(input: CollectInput): Promise<Omit<ResultsSummary, 'batchStatus'>> {
    const writer = await ResultsWriter.open(campaignDir(input.campaignKey), input.variableColumns);
    try {
      for await (const execution of deps.bolna.streamExecutions(input.batchId)) {
        await writer.add(execution);
      }
      await writer.close();
    } catch (error) {
      await writer.discard();
      throw error;
    }
    const { totals } = writer;
    if (totals.balanceLow > 0) {
      log.warn('Bolna did not place some calls: the wallet ran out (balance-low)', {
        batchId: input.batchId,
        balanceLow: totals.balanceLow,
      });
    }
    return {
      batchId: input.batchId,
      totalCalls: totals.totalCalls,
      counts: totals.counts,
      answered: totals.answered,
      voicemail: totals.voicemail,
      balanceLow: totals.balanceLow,
      totalDurationSeconds: totals.totalDurationSeconds,
      totalCostCents: totals.totalCostCents,
      files: { jsonl: writer.jsonlPath, csv: writer.csvPath },
    };
  }

  // Every activity heartbeats while it runs and reports errors as typed ApplicationFailures.
  const activity = <Args extends unknown[], Result>(fn: (...args: Args) => Promise<Result>) =>
    withFailureMapping(withHeartbeat(fn));
  return {
    validateCsv: activity(validateCsv),
    checkBolnaAccess: activity(checkBolnaAccess),
    createBatch: activity(createBatch),
    scheduleBatch: activity(scheduleBatch),
    getBatch: activity(getBatch),
    stopBatch: activity(stopBatch),
    collectResults: activity(collectResults),
  };
}

export type CampaignActivities = ReturnType<typeof createActivities>;
