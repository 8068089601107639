import type { BolnaClient } from '../bolna/client';
import type { ScheduleRules } from '../bolna/schedule-time';
import type { Clock } from '../platform/clock';
import type { Redactor } from '../platform/redaction';
import type { ResultsStore } from '../store/results-store';
import type { CampaignSearchAttribute } from '../workflows/search-attributes';
import type { CsvSourcePolicy } from './csv-source';

/** What the activities need from the outside world; tests hand in a simulator-backed client and their clock. */
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
    | 'lastServerDateMs'
    | 'streamAgentExecutions'
  >;
  /** "Now" for scheduling. Production: the system clock; time-skipping tests: the test server's clock. */
  clock: Clock;
  /** Where each campaign's clean CSV, results and report are kept: a local folder or object storage. */
  resultsStore: ResultsStore;
  rules: ScheduleRules;
  /** The campaign's search attributes the namespace has registered (see src/temporal/search-attributes.ts). */
  searchAttributes: () => Promise<readonly CampaignSearchAttribute[]>;
  /** Takes the worker's secrets out of every error an activity reports. */
  redactor: Redactor;
  /** Where campaign CSVs may be read or downloaded from, and how big and slow a download may be. */
  csvSources: CsvSourcePolicy;
  /** The webhook receiver's public base URL and token secret; absent: no webhook URL is given to Bolna. */
  webhooks?: { baseUrl: string; secret: string } | undefined;
}
