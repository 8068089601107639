import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { log } from '@temporalio/activity';
import { stringify } from 'csv-stringify';
import { LedgerWriter, readLedger } from '../outreach/ledger';
import type { LedgerContact } from '../outreach/ledger';
import { ownerOnly } from '../platform/file-modes';
import { writeCampaignReport } from '../report/write-report';
import type { LocalFile, StagingFolder } from '../store/results-store';
import type { ContactCounts, OutreachFiles } from '../workflows/outreach-definitions';
import type { ActivityDeps } from './deps';
import { escapeSpreadsheetFormula } from './results-writer';

export interface FinishOutreachInput {
  campaignKey: string;
  workflowId: string;
  agentId: string;
  ledger: string;
  variableColumns: string[];
  /** Contacts still waiting get no more chances (the deadline passed, or no window opens again): expired. */
  expire: boolean;
  /** Every wave's batch and executions file, for the report over the whole campaign. */
  waves: { batchId: string; executions: string }[];
  warnings?: string[];
}

export interface FinishedOutreach {
  ledger: string;
  contacts: ContactCounts;
  files: OutreachFiles;
}

const fixedColumns = [
  'row',
  'contact_number',
  'state',
  'attempts',
  'calls',
  'total_cost_cents',
  'last_status',
  'last_called_at',
  'last_execution_id',
  'last_recording_url',
  'last_extracted_data',
  'history',
] as const;

/**
 * The campaign's results, one row per contact: its final state, its attempts (each one's status, time and cost,
 * with the wave and batch), the last call's execution, recording and extracted data, and the contact's own
 * columns. Written as `contacts.csv` and `contacts.jsonl` (the ledger's last version), plus one report over every
 * wave's calls. Transcripts stay in each wave's executions files, found by `last_execution_id`.
 */
export function finishOutreachActivity(deps: Pick<ActivityDeps, 'resultsStore' | 'clock'>) {
  return async function finishOutreach(input: FinishOutreachInput): Promise<FinishedOutreach> {
    const staging = await deps.resultsStore.stage(input.campaignKey);
    try {
      const ledger = new LedgerWriter(join(staging.folder, 'contacts.jsonl'));
      const csvPath = join(staging.folder, 'contacts.csv');
      const file = createWriteStream(`${csvPath}`, { mode: ownerOnly });
      const csv = stringify({
        header: true,
        columns: [...fixedColumns, ...input.variableColumns.map((column) => `var:${column}`)],
      });
      csv.pipe(file);
      for await (const contact of readLedger(await deps.resultsStore.get(input.ledger))) {
        const final = input.expire && stillWaiting(contact) ? expired(contact) : contact;
        await ledger.add(final);
        if (!csv.write(contactRow(final))) await once(csv, 'drain');
      }
      csv.end();
      await Promise.all([ledger.close(), once(file, 'finish')]);
      const files: OutreachFiles = {
        contactsJsonl: await staging.keep('contacts.jsonl'),
        contactsCsv: await staging.keep('contacts.csv'),
        ...(await writeReport(deps, staging, input)),
      };
      return { ledger: files.contactsJsonl, contacts: ledger.counts, files };
    } finally {
      await staging.release();
    }
  };
}

function stillWaiting(contact: LedgerContact): boolean {
  return contact.state === 'pending' || contact.state === 'retry-waiting' || contact.state === 'in-wave';
}

function expired(contact: LedgerContact): LedgerContact {
  const rest = { ...contact };
  delete rest.wave;
  delete rest.notBeforeMs;
  return { ...rest, state: 'expired' };
}

function contactRow(contact: LedgerContact): string[] {
  const last = contact.attempts.at(-1);
  const cell = (value: unknown) =>
    value === undefined || value === null
      ? ''
      : escapeSpreadsheetFormula(typeof value === 'string' ? value : JSON.stringify(value));
  return [
    String(contact.row),
    contact.number,
    contact.state,
    String(contact.attempts.length),
    String(contact.attempts.reduce((calls, attempt) => calls + attempt.calls, 0)),
    String(contact.attempts.reduce((cost, attempt) => cost + attempt.costCents, 0)),
    cell(last?.status),
    cell(last ? new Date(last.atMs).toISOString() : undefined),
    cell(last?.executionId),
    cell(last?.recordingUrl),
    cell(contact.extracted),
    cell(
      contact.attempts
        .map((attempt) => `wave ${attempt.wave} ${new Date(attempt.atMs).toISOString()} ${attempt.status}`)
        .join('; '),
    ),
    ...contact.variables.map(cell),
  ];
}

/** One report over every wave's calls; like a batch campaign's, a view that may fail without failing the campaign. */
async function writeReport(
  deps: Pick<ActivityDeps, 'resultsStore' | 'clock'>,
  staging: StagingFolder,
  input: FinishOutreachInput,
): Promise<{ reportHtml: string; reportJson: string } | Record<string, never>> {
  const local: LocalFile[] = [];
  try {
    for (const wave of input.waves) local.push(await deps.resultsStore.localFile(wave.executions));
    await writeCampaignReport({
      executionsFiles: local.map((file) => file.path),
      campaign: {
        workflowId: input.workflowId,
        agentId: input.agentId,
        batchIds: input.waves.map((wave) => wave.batchId),
        missingRows: 0,
        droppedRows: 0,
        ...(input.warnings ? { warnings: input.warnings } : {}),
      },
      outputDir: staging.folder,
      generatedAt: new Date(await deps.clock.now()),
    });
    return { reportHtml: await staging.keep('report.html'), reportJson: await staging.keep('report.json') };
  } catch (error) {
    log.warn("The campaign's report could not be written; its contacts files are complete", {
      error: error instanceof Error ? error.message : String(error),
    });
    return {};
  } finally {
    for (const file of local) await file.release();
  }
}
