import { basename } from 'node:path';
import { Context, log } from '@temporalio/activity';
import { BolnaAuthError, BolnaError } from '../bolna/errors';
import type { Batch, Execution } from '../bolna/schemas';
import { parseBolnaTimestamp } from '../bolna/timestamps';
import { writeCampaignReport } from '../report/write-report';
import type { CampaignFacts } from '../report/write-report';
import type { StagingFolder } from '../store/results-store';
import type { ResultsSummary } from '../workflows/definitions';
import type { ActivityDeps } from './deps';
import { ResultsWriter } from './results-writer';
import { timeWindows } from './time-windows';

export interface CollectInput {
  batchId: string;
  campaignKey: string;
  variableColumns: string[];
  /**
   * The agent that made the calls, whose paginated executions listing fills in what the batch's listing left
   * out. (Optional, like `expectedRows`: a collect scheduled before they existed has neither.)
   */
  agentId?: string;
  /** Rows uploaded: fewer executions than this sends us to the agent's listing, and what is still missing is reported. */
  expectedRows?: number;
  /** What the campaign warned its operator about so far, for the report's header. */
  warnings?: string[];
}

type Deps = Pick<ActivityDeps, 'bolna' | 'resultsStore' | 'clock'>;

/**
 * Streams every execution into the campaign's results files and returns only the totals: the full list can be
 * tens of MB, far over what a Temporal payload may carry. The batch is read first: rows it counts out of
 * `valid_contacts` were dropped by Bolna and are reported in `droppedRows`. The batch's listing is followed page by
 * page; if it still holds fewer executions than the rows Bolna kept, the rest comes from the agent's paginated
 * listing filtered by batch, and rows neither listing has are reported in `missingRows`.
 */
export function collectResultsActivity(deps: Deps) {
  async function collectResults(input: CollectInput): Promise<Omit<ResultsSummary, 'batchStatus'>> {
    const batch = await deps.bolna.getBatch(input.batchId);
    const droppedRows = droppedRowsOf(batch);
    // Rows Bolna dropped may have no execution at all: they are reported as dropped, not as missing.
    const expectedRows =
      input.expectedRows === undefined ? undefined : Math.max(0, input.expectedRows - droppedRows);
    const staging = await deps.resultsStore.stage(input.campaignKey);
    try {
      return await collectInto(staging, batch, input, { droppedRows, expectedRows });
    } finally {
      await staging.release();
    }
  }

  /** Writes the results and the report in the staging folder, then keeps them in the store. */
  async function collectInto(
    staging: StagingFolder,
    batch: Batch,
    input: CollectInput,
    { droppedRows, expectedRows }: { droppedRows: number; expectedRows: number | undefined },
  ): Promise<Omit<ResultsSummary, 'batchStatus'>> {
    const writer = await ResultsWriter.open(staging.folder, input.variableColumns);
    // Ids only (tens of bytes each): pages may overlap, and the second listing repeats the first.
    const written = new Set<string>();
    const add = async (execution: Execution): Promise<void> => {
      if (written.has(execution.id)) return;
      written.add(execution.id);
      await writer.add(execution);
    };
    try {
      for await (const execution of deps.bolna.streamExecutions(input.batchId)) await add(execution);
      const { agentId } = input;
      if (agentId !== undefined && expectedRows !== undefined && written.size < expectedRows) {
        log.info(
          "Bolna's batch listing has fewer executions than rows; asking the agent's listing for the rest",
          {
            batchId: input.batchId,
            listed: written.size,
            expectedRows,
          },
        );
        const target = { batchId: input.batchId, agentId, expectedRows, createdAt: batch.created_at };
        await addFromAgentListing(deps, target, written, add);
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
    if (droppedRows > 0) {
      log.warn(
        'Bolna dropped some rows of the upload (valid_contacts < total_contacts): they were not called',
        {
          batchId: input.batchId,
          droppedRows,
          validContacts: batch.valid_contacts,
          totalContacts: batch.total_contacts,
        },
      );
    }
    const missingRows = Math.max(0, (expectedRows ?? 0) - written.size);
    if (missingRows > 0) {
      log.warn('Bolna lists no execution for some rows: their results are missing', {
        batchId: input.batchId,
        missingRows,
        expectedRows: input.expectedRows,
      });
    }
    const results = {
      jsonl: await staging.keep(basename(writer.jsonlPath)),
      csv: await staging.keep(basename(writer.csvPath)),
    };
    const report = await writeReport(deps, staging, writer.jsonlPath, {
      // The folder's key names the campaign when the activity has no workflow (the SDK allows that).
      workflowId: Context.current().info.workflowExecution?.workflowId ?? input.campaignKey,
      ...(input.agentId !== undefined ? { agentId: input.agentId } : {}),
      batchIds: [input.batchId],
      batchStatus: batch.status,
      ...(input.expectedRows !== undefined ? { rows: input.expectedRows } : {}),
      missingRows,
      droppedRows,
      ...(input.warnings ? { warnings: input.warnings } : {}),
    });
    return {
      batchId: input.batchId,
      ...totals,
      missingRows,
      droppedRows,
      files: { ...results, ...report },
    };
  }

  return collectResults;
}

/**
 * Writes the campaign's report beside its results. The report is a view of the results, not the results: if it
 * cannot be written the campaign still completes with its results files, the worker logs why, and the report can
 * be built again from `executions.jsonl` later.
 */
async function writeReport(
  deps: Deps,
  staging: StagingFolder,
  jsonlPath: string,
  campaign: CampaignFacts,
): Promise<{ reportHtml: string; reportJson: string } | Record<string, never>> {
  try {
    const written = await writeCampaignReport({
      executionsFiles: [jsonlPath],
      campaign,
      outputDir: staging.folder,
      generatedAt: new Date(await deps.clock.now()),
    });
    return {
      reportHtml: await staging.keep(basename(written.htmlPath)),
      reportJson: await staging.keep(basename(written.jsonPath)),
    };
  } catch (error) {
    log.warn('The campaign report could not be written; the results files are complete', {
      batchId: campaign.batchIds[0],
      error: error instanceof Error ? error.message : String(error),
    });
    return {};
  }
}

/** The agent listing may refuse a `from`/`to` more than 7 days apart; 6 leaves room for how it counts the ends. */
const windowSpanMs = 6 * 24 * 3_600_000;
/** Around the batch's life, for clocks that disagree and executions stamped a little before or after. */
const windowMarginMs = 3_600_000;

/**
 * Adds the batch's executions from `GET /v2/agent/{agent_id}/executions?batch_id=…`, in windows covering the
 * batch's life, until every row is accounted for. The listing is a fallback: if it refuses (no such endpoint, a
 * bad request), the rows stay missing and are reported; failures a retry may fix (and a refused key) still fail
 * the attempt.
 */
async function addFromAgentListing(
  deps: Deps,
  target: { batchId: string; agentId: string; expectedRows: number; createdAt: string | null | undefined },
  written: ReadonlySet<string>,
  add: (execution: Execution) => Promise<void>,
): Promise<void> {
  try {
    const createdMs = parseBolnaTimestamp(target.createdAt);
    const nowMs = await deps.clock.now();
    const windows =
      createdMs === undefined
        ? [{}]
        : timeWindows(createdMs - windowMarginMs, nowMs + windowMarginMs, windowSpanMs);
    for (const window of windows) {
      const listing = deps.bolna.streamAgentExecutions(target.agentId, {
        batchId: target.batchId,
        ...window,
      });
      for await (const execution of listing) {
        // Should the listing ignore the filter, another batch's calls must not enter this campaign's results.
        if (execution.batch_id && execution.batch_id !== target.batchId) continue;
        await add(execution);
        if (written.size >= target.expectedRows) return;
      }
    }
  } catch (error) {
    if (!(error instanceof BolnaError) || error.retryable || error instanceof BolnaAuthError) throw error;
    log.warn("Bolna's agent executions listing failed; the rows it would have filled in stay missing", {
      batchId: target.batchId,
      error: error.message,
    });
  }
}

/** Rows Bolna counted out of the batch's `valid_contacts`: dropped at upload, never called. */
function droppedRowsOf(batch: Batch): number {
  const { valid_contacts: valid, total_contacts: total } = batch;
  return typeof valid === 'number' && typeof total === 'number' ? Math.max(0, total - valid) : 0;
}
