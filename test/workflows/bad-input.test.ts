import { createHash } from 'node:crypto';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { batchCampaign } from '../../src/workflows/batch-campaign';
import type { CampaignInput } from '../../src/workflows/definitions';
import {
  contactsCsv,
  testAgentId as agentId,
  testCsvSources,
  unknownAgentId as unknownAgent,
} from '../support/constants';
import { fakeDns } from '../support/fake-dns';
import { serveOnLoopback } from '../support/loopback-server';
import type { LoopbackServer } from '../support/loopback-server';
import { installNetworkGuard } from '../support/network-guard';
import type { NetworkGuard } from '../support/network-guard';
import { startWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';
import { applicationFailureOf } from '../support/workflow-steps';

/**
 * The bad-input corpus: every wrong option, CSV and Bolna account problem fails with one specific error, is not
 * retried (nothing a retry could fix), and never reaches Bolna's create endpoint. Started as operators do with
 * `temporal workflow start`, so the workflow's own first step is what refuses them (the CLI refuses the same
 * options earlier, through the same check). Hostile CSV sources (files outside the allowed folders, private and
 * metadata addresses) are refused before any connection: names resolve through a fake DNS, and a network guard
 * proves that nothing tried to leave loopback.
 */

let harness: WorkflowHarness;
let csvHost: LoopbackServer;
let csvHostUrl: string;
let guard: NetworkGuard;
let counter = 0;
const taskQueue = 'bad-input';
/** Small enough for the CSV host's big list, large enough for every other list here. */
const maxBytes = 64 * 1024;
const wrongKeyQueue = 'bad-input-wrong-key';
const knownAgent = agentId;

beforeAll(async () => {
  guard = installNetworkGuard();
  harness = await startWorkflowHarness({ agents: [knownAgent] });
  csvHost = await serveOnLoopback((req, res) => {
    if (req.url === '/to-metadata?signature=secret') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/?signature=secret' }).end();
    } else if (req.url === '/big.csv') {
      res.writeHead(200, { 'content-type': 'text/csv' });
      for (let kib = 0; kib < 1024; kib += 1) res.write(`${'x'.repeat(1023)}\n`);
      res.end();
    } else res.writeHead(404).end('no such list');
  });
  csvHostUrl = csvHost.url;
  const csvSources = {
    ...testCsvSources,
    maxBytes,
    lookup: fakeDns({ 'files.corp.test': '10.0.0.7' }).lookup,
  };
  await harness.runWorker({ taskQueue, csvSources });
  await harness.runWorker({ taskQueue: wrongKeyQueue, apiKey: 'bn-not-the-right-key' });
});

afterAll(async () => {
  await csvHost?.close();
  await harness?.close();
  guard?.uninstall();
});

const goodCsv = contactsCsv(2);

interface BadInput {
  /** The campaign input, or a function of the harness's paths. */
  input: (csvPath: string) => unknown;
  /** CSV content for `csvPath` (default: a valid list). */
  csv?: string | Buffer;
  failureType: string;
  message: RegExp;
  queue?: string;
}

const options = (extra: Record<string, unknown>) => (csv: string) => ({ agentId, csv, ...extra });
const withCsv = (csv: string | Buffer, message: RegExp): BadInput => ({
  input: options({}),
  csv,
  failureType: 'CsvValidationError',
  message,
});
const invalidOption = (extra: Record<string, unknown>, message: RegExp): BadInput => ({
  input: options(extra),
  failureType: 'InvalidCampaignInput',
  message,
});

const corpus: Record<string, BadInput> = {
  'agentId not a UUID': invalidOption({ agentId: 'agent-7' }, /agentId: must be a UUID/),
  'agentId missing': {
    input: (csv) => ({ csv }),
    failureType: 'InvalidCampaignInput',
    message: /agentId: is required/,
  },
  'agentId a number': invalidOption({ agentId: 42 }, /agentId: must be a string, not 42/),
  'csv missing': {
    input: () => ({ agentId }),
    failureType: 'InvalidCampaignInput',
    message: /csv: is required/,
  },
  'csv blank': invalidOption({ csv: '  ' }, /csv: must be a path or an http\(s\) URL/),
  'no input at all': {
    input: () => undefined,
    failureType: 'InvalidCampaignInput',
    message: /input: is required/,
  },
  'input a bare string': {
    input: (csv) => csv,
    failureType: 'InvalidCampaignInput',
    message: /input: must be a JSON object/,
  },
  'startAt unparseable': invalidOption({ startAt: 'next tuesday' }, /startAt: must be ISO 8601 with a zone/),
  'startAt without a zone': invalidOption(
    { startAt: '2030-12-01T10:00:00' },
    /startAt: must be ISO 8601 with a zone/,
  ),
  'startAt in the past': invalidOption(
    { startAt: '2020-01-01T10:00:00+05:30' },
    /startAt: .* is in the past/,
  ),
  'startAt February 30 (a date that does not exist)': invalidOption(
    { startAt: '2030-02-30T10:00:00+00:00' },
    /startAt: 2030-02-30T10:00:00\+00:00: February 2030 has no day 30/,
  ),
  'startAt April 31': invalidOption(
    { startAt: '2030-04-31T10:00:00+05:30' },
    /startAt: .*: April 2030 has no day 31/,
  ),
  'startAt month 13': invalidOption(
    { startAt: '2030-13-01T10:00:00Z' },
    /startAt: .*: month 13 does not exist/,
  ),
  'startAt second 60': invalidOption(
    { startAt: '2030-01-01T10:00:60Z' },
    /startAt: .*: second 60 does not exist/,
  ),
  'runningTimeoutMinutes zero': invalidOption({ runningTimeoutMinutes: 0 }, /runningTimeoutMinutes/),
  'resume forged by a start (would adopt any batch of the account)': invalidOption(
    { resume: { phase: 'collecting', batchId: 'f'.repeat(32), counts: {}, stopRequested: false } },
    /resume: is set by the campaign itself/,
  ),
  'fromPhoneNumbers empty': invalidOption(
    { fromPhoneNumbers: [] },
    /fromPhoneNumbers: must list at least one caller ID/,
  ),
  'fromPhoneNumbers malformed': invalidOption(
    { fromPhoneNumbers: ['12345'] },
    /fromPhoneNumbers\.0: must be E\.164/,
  ),
  'fromPhoneNumbers national format': invalidOption(
    { fromPhoneNumbers: ['+14155550100', '09876543210'] },
    /fromPhoneNumbers\.1: must be E\.164/,
  ),
  'fromPhoneNumbers repeated': invalidOption(
    { fromPhoneNumbers: ['+14155550100', '+14155550100'] },
    /fromPhoneNumbers: lists a caller ID twice/,
  ),
  'fromPhoneNumbers a string': invalidOption(
    { fromPhoneNumbers: '+14155550100' },
    /fromPhoneNumbers: must be an array/,
  ),
  'defaultCountry a name': invalidOption(
    { defaultCountry: 'India' },
    /defaultCountry: must be an ISO 3166 country code/,
  ),
  'retryConfig max_retries over 3': invalidOption(
    { retryConfig: { enabled: true, max_retries: 5 } },
    /retryConfig\.max_retries/,
  ),
  'retryConfig unknown status': invalidOption(
    { retryConfig: { enabled: true, retry_on_statuses: ['voicemail'] } },
    /retryConfig\.retry_on_statuses\.0/,
  ),
  'webhookUrl not http': invalidOption(
    { webhookUrl: 'ftp://example.com/hook' },
    /webhookUrl: must be an http\(s\) URL/,
  ),
  'pollIntervalSeconds zero': invalidOption({ pollIntervalSeconds: 0 }, /pollIntervalSeconds/),
  'misspelt option': invalidOption(
    { start_at: '2030-12-01T10:00:00+00:00' },
    /unknown option\(s\) 'start_at'/,
  ),
  'CSV file missing': {
    input: (csv) => ({ agentId, csv: `${csv}.missing` }),
    failureType: 'CsvSourceError',
    message: /\.missing' does not exist/,
  },
  'CSV path is a folder': {
    input: (csv) => ({ agentId, csv: join(csv, '..', 'a-folder') }),
    failureType: 'CsvSourceError',
    message: /a-folder' is not a file/,
  },
  'CSV URL unreachable': {
    input: () => ({ agentId, csv: 'http://127.0.0.1:9/contacts.csv?signature=secret' }),
    failureType: 'CsvSourceError',
    message: /cannot download the CSV from http:\/\/127\.0\.0\.1:9\/contacts\.csv: ECONNREFUSED/,
  },
  'CSV path /proc/self/environ (the worker environment)': {
    input: () => ({ agentId, csv: '/proc/self/environ' }),
    failureType: 'CsvSourceRefused',
    message: /CSV file '\/proc\/self\/environ' is under \/proc, which the worker never reads/,
  },
  'CSV path /etc/passwd (outside the allowed folders)': {
    input: () => ({ agentId, csv: '/etc/passwd' }),
    failureType: 'CsvSourceRefused',
    message: /'\/etc\/passwd' is outside the folders the worker reads CSVs from/,
  },
  'CSV symlink escaping the allowed folder': {
    input: (csv) => ({ agentId, csv: join(csv, '..', 'escape.csv') }),
    failureType: 'CsvSourceRefused',
    message: /escape\.csv' is outside the folders the worker reads CSVs from/,
  },
  'CSV changed since the starter validated it': {
    input: options({ csvSha256: createHash('sha256').update('another list').digest('hex') }),
    failureType: 'CsvChanged',
    message: /is not the file that was validated when the campaign was started/,
  },
  'csvSha256 not a digest': invalidOption(
    { csvSha256: 'abc123' },
    /csvSha256: must be the CSV file's SHA-256/,
  ),
  'CSV URL to a cloud metadata address': {
    input: () => ({ agentId, csv: 'http://169.254.169.254/latest/meta-data/?signature=secret' }),
    failureType: 'CsvSourceRefused',
    message: /169\.254\.169\.254\/latest\/meta-data\/, a cloud metadata address/,
  },
  'CSV URL whose name resolves to a private address': {
    input: () => ({ agentId, csv: 'http://files.corp.test/contacts.csv?signature=secret' }),
    failureType: 'CsvSourceRefused',
    message: /files\.corp\.test resolves to 10\.0\.0\.7, a private \(RFC 1918\) address/,
  },
  'CSV URL redirecting to a refused address': {
    input: () => ({ agentId, csv: `${csvHostUrl}/to-metadata?signature=secret` }),
    failureType: 'CsvSourceRefused',
    message: /leads to http:\/\/169\.254\.169\.254\/latest\/meta-data\/, a cloud metadata address/,
  },
  'CSV URL too large': {
    input: () => ({ agentId, csv: `${csvHostUrl}/big.csv` }),
    failureType: 'CsvTooLarge',
    message: new RegExp(`larger than the ${maxBytes} bytes allowed`),
  },
  'CSV URL answering 404': {
    input: () => ({ agentId, csv: `${csvHostUrl}/contacts.csv` }),
    failureType: 'CsvSourceError',
    message: /answered HTTP 404/,
  },
  'CSV empty': withCsv('', /line 1: the file is empty/),
  'CSV header only': withCsv('contact_number,name\n', /line 1: there are no rows to call/),
  'CSV without contact_number': withCsv('phone,name\n+919876543210,Asha\n', /no contact_number column/),
  'CSV number too short': withCsv('contact_number,name\n98765,Asha\n', /line 2, contact_number: '98765' /),
  'CSV number without country code': withCsv(
    'contact_number,name\n9876543210,Asha\n',
    /line 2, contact_number: '9876543210' needs a country code/,
  ),
  'CSV number blank': withCsv(
    'contact_number,name\n+919876543210,Asha\n,Ravi\n',
    /line 3, contact_number: the phone number is empty/,
  ),
  'CSV number repeated': withCsv(
    'contact_number,name\n+919876543210,Asha\n+91 98765 43210,Asha again\n',
    /line 3, contact_number: \+919876543210 duplicates line 2/,
  ),
  'CSV ragged row': withCsv(
    'contact_number,name\n+919876543210,Asha,extra\n',
    /line 2: expected 2 values .* found 3/,
  ),
  'CSV column named twice': withCsv(
    'contact_number,name,name\n+919876543210,Asha,A\n',
    /line 1, name: this column name is used twice/,
  ),
  'CSV blank column name': withCsv(
    'contact_number,,city\n+919876543210,x,Pune\n',
    /line 1: column 2 has no name/,
  ),
  'CSV not UTF-8': withCsv(
    Buffer.from('contact_number,name\n+919876543210,Jos\xe9\n', 'latin1'),
    /line 2: the file is not UTF-8/,
  ),
  'CSV unclosed quote': withCsv('contact_number,name\n+919876543210,"Asha\n', /line 2: .* never closed/),
  'CSV is a spreadsheet': withCsv(
    Buffer.from('504b0304140006000800000021000000', 'hex'),
    /line 1: this is a spreadsheet workbook/,
  ),
  'API key refused (403)': {
    input: options({}),
    queue: wrongKeyQueue,
    failureType: 'BolnaAuthError',
    message: /403/,
  },
  'agent unknown to the account': {
    input: options({ agentId: unknownAgent }),
    failureType: 'UnknownAgent',
    message: new RegExp(`no agent ${unknownAgent}`),
  },
};

const creates = () => harness.simulator.requests.filter((r) => r.method === 'POST' && r.path === '/batches');

test('the corpus holds at least 30 bad inputs', () => {
  expect(Object.keys(corpus).length).toBeGreaterThanOrEqual(30);
});

test.each(Object.entries(corpus))('%s: one specific error, no retry, no create call', async (_name, bad) => {
  counter += 1;
  const folder = join(harness.resultsDir, `bad-${counter}`);
  await mkdir(join(folder, 'a-folder'), { recursive: true });
  await symlink('/etc/passwd', join(folder, 'escape.csv'));
  const csvPath = await harness.writeCsv(`bad-${counter}/contacts.csv`, bad.csv ?? goodCsv);
  const createsBefore = creates().length;
  const workflowId = `campaign-bad-input-${counter}`;

  const handle = await harness.env.client.workflow.start('batchCampaign', {
    workflowId,
    taskQueue: bad.queue ?? taskQueue,
    args: [bad.input(csvPath)],
  });
  const failure = await handle.result().then(
    () => undefined,
    (error: unknown) => error,
  );

  expect(failure).toBeInstanceOf(WorkflowFailedError);
  // Refused in the first activity, or (a forged `resume`) by the workflow itself before any activity.
  const cause = applicationFailureOf(failure)!;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect({ type: cause.type, nonRetryable: cause.nonRetryable }).toEqual({
    type: bad.failureType,
    nonRetryable: true,
  });
  expect(cause.message).toMatch(bad.message);
  expect(cause.message).not.toContain('signature=secret');
  expect(cause.message).not.toMatch(/root:|BOLNA_API_KEY|PATH=/);

  const history = await handle.fetchHistory();
  const attempts = (history.events ?? []).flatMap((event) =>
    event.activityTaskStartedEventAttributes ? [event.activityTaskStartedEventAttributes.attempt] : [],
  );
  expect(attempts.every((attempt) => attempt === 1)).toBe(true);
  expect(creates().length).toBe(createsBefore);
  expect(guard.blocked.splice(0)).toEqual([]);
});

test('a wallet that runs out mid-batch: the campaign completes and reports the balance-low calls', async () => {
  const rows = 4;
  harness.simulator.settings.account.walletCents = 1;
  try {
    const csv = await harness.writeCsv('balance-low.csv', contactsCsv(rows));
    const input: CampaignInput = { agentId, csv, pollIntervalSeconds: 30 };
    const result = await harness.env.client.workflow.execute(batchCampaign, {
      workflowId: 'campaign-balance-low',
      taskQueue,
      args: [input],
    });
    expect(result.outcome).toBe('completed');
    expect(result.totalCalls).toBe(rows);
    expect(result.balanceLow).toBeGreaterThan(0);
    expect(result.counts?.['balance-low']).toBe(result.balanceLow);
  } finally {
    harness.simulator.settings.account.walletCents = 500_000;
  }
});
