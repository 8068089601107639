import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { CsvValidationError } from '../csv';
import type { CsvProblem } from '../csv';
import { contactNumberColumn } from '../csv/header';
import { checkOutreachInput } from '../inputs/outreach-input';
import { contactZonesResolver } from '../outreach/contact-zones';
import { LedgerWriter } from '../outreach/ledger';
import type { LedgerContact } from '../outreach/ledger';
import type { ContactCounts, OutreachInput } from '../workflows/outreach-definitions';
import type { ActivityDeps } from './deps';
import { readSuppressionLists } from './suppression';
import { readCampaignCsv } from './validate-csv';

export interface PrepareOutreachInput {
  campaign: OutreachInput;
  campaignKey: string;
  /** When the campaign was started: a `startAt` or `deadline` is judged against this, once. */
  startedAtMs: number;
}

export interface PreparedOutreach {
  /** The ledger's first version: every contact pending, or suppressed. */
  ledger: string;
  rows: number;
  variableColumns: string[];
  contacts: ContactCounts;
}

/** The ledger's first version, in the campaign's folder of the results store. */
const firstLedgerName = 'ledger-0.jsonl';

/**
 * Checks everything before anything reaches Bolna: the input, the CSV (each row), the do-not-call lists (each row)
 * and every contact's time zone when a window or a daily cap needs it. Then writes the ledger's first version:
 * every contact pending, except the suppressed ones, which no wave will ever include.
 */
export function prepareOutreachActivity(deps: Pick<ActivityDeps, 'resultsStore' | 'csvSources' | 'rules'>) {
  return async function prepareOutreach(input: PrepareOutreachInput): Promise<PreparedOutreach> {
    const { campaign } = input;
    checkOutreachInput(campaign, input.startedAtMs, deps.rules);
    const staging = await deps.resultsStore.stage(input.campaignKey);
    try {
      const { summary, cleanCsv } = await readCampaignCsv(campaign, staging.folder, deps);
      const suppressed = await readSuppressionLists(campaign.suppress ?? [], staging.folder, {
        csvSources: deps.csvSources,
        ...(campaign.defaultCountry ? { defaultCountry: campaign.defaultCountry } : {}),
      });
      const needsZones = campaign.window !== undefined || campaign.maxCallsPerNumberPerDay !== undefined;
      const zonesOf = contactZonesResolver(campaign.window);
      const problems: CsvProblem[] = [];
      let problemCount = 0;
      const writer = new LedgerWriter(join(staging.folder, firstLedgerName));
      let row = 0;
      const records = createReadStream(cleanCsv).pipe(parse({ columns: true }));
      for await (const record of records as AsyncIterable<Record<string, string>>) {
        row += 1;
        const number = record[contactNumberColumn] ?? '';
        const zones = needsZones ? zonesOf(number, record.timezone) : [];
        if (typeof zones === 'string') {
          problemCount += 1;
          if (problems.length < 20) problems.push({ line: row + 1, column: 'timezone', message: zones });
          continue;
        }
        const contact: LedgerContact = {
          row,
          number,
          zones,
          variables: summary.variableColumns.map((column) => record[column] ?? ''),
          state: suppressed.has(number) ? 'suppressed' : 'pending',
          attempts: [],
        };
        await writer.add(contact);
      }
      await writer.close();
      if (problems.length > 0) throw new CsvValidationError(problems, problemCount);
      return {
        ledger: await staging.keep(firstLedgerName),
        rows: summary.rows,
        variableColumns: summary.variableColumns,
        contacts: writer.counts,
      };
    } finally {
      await staging.release();
    }
  };
}
