import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { startSimulator } from '../../simulator/server';
import type { RunningSimulator } from '../../simulator/server';
import { createActivities } from '../../src/activities';
import { BolnaClient } from '../../src/bolna/client';
import { failureOf, inActivity } from '../support/activity-context';
import { simulatorActivityDeps, testActivityDeps } from '../support/activity-deps';
import { testAgentId as agentId, testApiKey as apiKey } from '../support/constants';
import { serveOnLoopback } from '../support/loopback-server';
import type { LoopbackServer } from '../support/loopback-server';
import { ManualClock } from '../support/manual-clock';

/** Activities one at a time in a mock activity context, against the simulator and a loopback CSV host. */

const csvText = 'contact_number,name\n+919876543210,Asha\n+91 98123 45678,Ravi\n';

let simulator: RunningSimulator;
let clock: ManualClock;
let resultsDir: string;
let csvHost: LoopbackServer;
let csvUrl: string;

beforeAll(async () => {
  csvHost = await serveOnLoopback((req, res) => {
    if (req.url?.startsWith('/contacts.csv')) res.writeHead(200, { 'content-type': 'text/csv' }).end(csvText);
    else res.writeHead(404).end();
  });
  csvUrl = csvHost.url;
});
afterAll(async () => csvHost.close());

beforeEach(async () => {
  clock = new ManualClock(Date.parse('2026-06-23T12:00:00Z'));
  simulator = await startSimulator({ apiKey, clock });
  resultsDir = await mkdtemp(join(tmpdir(), 'activities-'));
});
afterEach(async () => {
  await simulator.close();
  await rm(resultsDir, { recursive: true, force: true });
});

function activities() {
  return createActivities(simulatorActivityDeps({ bolnaUrl: simulator.url, clock, resultsDir }));
}

/** The CSV host's list, validated into the campaign folder `campaignKey`. */
function validContacts(campaignKey: string) {
  return inActivity(
    activities().validateCsv,
    { attempt: 1 },
    {
      campaign: { agentId, csv: `${csvUrl}/contacts.csv` },
      campaignKey,
    },
  );
}

test('validateCsv downloads a CSV from a URL and writes the normalised copy', async () => {
  const facts = await inActivity(
    activities().validateCsv,
    { attempt: 1 },
    {
      campaign: { agentId, csv: `${csvUrl}/contacts.csv?signature=secret` },
      campaignKey: 'campaign-url',
    },
  );
  expect(facts.rows).toBe(2);
  expect(facts.variableColumns).toEqual(['name']);
  expect(await readFile(facts.cleanCsvPath, 'utf8')).toBe(
    'contact_number,name\n+919876543210,Asha\n+919812345678,Ravi\n',
  );
});

test('a workflow ID cannot place files outside the results folder', async () => {
  const facts = await inActivity(
    activities().validateCsv,
    { attempt: 1 },
    {
      campaign: { agentId, csv: `${csvUrl}/contacts.csv` },
      campaignKey: '../../escape/attempt',
    },
  );
  const [folder, file, ...deeper] = relative(resultsDir, facts.cleanCsvPath).split(sep);
  expect({ file, deeper }).toEqual({ file: 'contacts.csv', deeper: [] });
  expect(folder).toMatch(/^[^.].*escape_attempt$/);
});

test('an unreachable CSV fails without retries and never shows a signed URL’s query', async () => {
  const missingUrl = await failureOf(
    inActivity(
      activities().validateCsv,
      { attempt: 1 },
      {
        campaign: { agentId, csv: `${csvUrl}/gone.csv?signature=secret` },
        campaignKey: 'c',
      },
    ),
  );
  expect(missingUrl).toMatchObject({ type: 'CsvSourceError', nonRetryable: true });
  expect(missingUrl.message).toContain('HTTP 404');
  expect(missingUrl.message).not.toContain('secret');
  const missingFile = await failureOf(
    inActivity(
      activities().validateCsv,
      { attempt: 1 },
      {
        campaign: { agentId, csv: join(resultsDir, 'nope.csv') },
        campaignKey: 'c',
      },
    ),
  );
  expect(missingFile).toMatchObject({ type: 'CsvSourceError', nonRetryable: true });
});

test('bad input and a bad CSV are non-retryable failures with their own types, before any call to Bolna', async () => {
  const badCountry = await failureOf(
    inActivity(
      activities().validateCsv,
      { attempt: 1 },
      {
        campaign: { agentId, csv: `${csvUrl}/contacts.csv`, defaultCountry: 'XX' },
        campaignKey: 'c',
      },
    ),
  );
  expect(badCountry).toMatchObject({ type: 'InvalidCampaignInput', nonRetryable: true });

  const badInput = await failureOf(
    inActivity(
      activities().validateCsv,
      { attempt: 1 },
      {
        campaign: { agentId: 'agent-7', csv: `${csvUrl}/contacts.csv`, fromPhoneNumbers: ['4155550100'] },
        campaignKey: 'c',
      },
    ),
  );
  expect(badInput).toMatchObject({ type: 'InvalidCampaignInput', nonRetryable: true });
  expect(badInput.message).toMatch(/agentId: must be a UUID/);
  expect(badInput.message).toMatch(/fromPhoneNumbers\.0: must be E\.164/);
  expect(simulator.requests).toHaveLength(0);

  const badCsv = join(resultsDir, 'bad.csv');
  await writeFile(badCsv, 'contact_number,name\n+919876543210,A\n98765,B\n');
  const invalid = await failureOf(
    inActivity(
      activities().validateCsv,
      { attempt: 1 },
      { campaign: { agentId, csv: badCsv }, campaignKey: 'c' },
    ),
  );
  expect(invalid).toMatchObject({ type: 'CsvValidationError', nonRetryable: true });
  expect(invalid.message).toContain("line 3, contact_number: '98765'");
  expect(invalid.details).toEqual([
    {
      totalProblems: 1,
      problems: [expect.objectContaining({ line: 3, column: 'contact_number', value: '98765' })],
    },
  ]);
});

/** The createBatch input the workflow sends for a clean CSV uploaded under `fileName`. */
function createInput(csvPath: string, fileName: string) {
  return { campaign: { agentId, csv: csvPath }, csvPath, fileName };
}

const uploads = () => simulator.requests.filter((r) => r.method === 'POST' && r.path === '/batches');

test('createBatch on a retry finds the batch an earlier attempt created instead of uploading again', async () => {
  const { cleanCsvPath: csvPath } = await validContacts('k');
  const input = createInput(csvPath, 'campaign-k-0123abcd.csv');
  const first = await inActivity(activities().createBatch, { attempt: 1 }, input);
  const retry = await inActivity(activities().createBatch, { attempt: 2 }, input);
  expect(retry.batchId).toBe(first.batchId);
  expect(uploads()).toHaveLength(1);
  const fresh = await inActivity(
    activities().createBatch,
    { attempt: 2 },
    createInput(csvPath, 'campaign-other.csv'),
  );
  expect(fresh.batchId).not.toBe(first.batchId);
});

test('a first attempt also looks first (a Temporal reset replays the create as attempt 1)', async () => {
  const { cleanCsvPath: csvPath } = await validContacts('k');
  const input = createInput(csvPath, 'campaign-reset-0123abcd.csv');
  const beforeReset = await inActivity(activities().createBatch, { attempt: 1 }, input);
  const afterReset = await inActivity(activities().createBatch, { attempt: 1 }, input);
  expect(afterReset.batchId).toBe(beforeReset.batchId);
  expect(uploads()).toHaveLength(1);
});

test('a create retried after a deploy still takes the input campaigns started before it sent', async () => {
  const { cleanCsvPath: csvPath } = await validContacts('k');
  const legacy = { agentId, csvPath, fileName: 'campaign-legacy.csv', fromPhoneNumbers: ['+14155550100'] };
  const { batchId } = await inActivity(activities().createBatch, { attempt: 2 }, legacy);
  expect(simulator.batches.find(batchId)).toBeDefined();
  expect(uploads()).toHaveLength(1);
});

test('a retried create whose earlier request landed late keeps one batch and deletes the twin', async () => {
  const { cleanCsvPath: csvPath } = await validContacts('k');
  const client = new BolnaClient({ apiKey, baseUrl: simulator.url });
  const input = createInput(csvPath, 'campaign-late-89abcdef.csv');
  // The first attempt's upload reaches Bolna only while the retry is uploading too.
  let lateUpload: Promise<{ batch_id: string }> | undefined;
  class LateLandingBolna extends BolnaClient {
    override async createBatch(request: Parameters<BolnaClient['createBatch']>[0]) {
      lateUpload ??= client.createBatch(request);
      await lateUpload;
      clock.advance(1_000);
      return super.createBatch(request);
    }
  }
  const slowBolna = new LateLandingBolna({ apiKey, baseUrl: simulator.url });
  const retrying = createActivities(testActivityDeps({ bolna: slowBolna, clock, resultsDir }));
  const { batchId } = await inActivity(retrying.createBatch, { attempt: 2 }, input);

  const late = await lateUpload!;
  expect(batchId).toBe(late.batch_id);
  const live = (await client.listAgentBatches(agentId)).filter((b) => b.file_name === input.fileName);
  expect(live.map((b) => b.batch_id)).toEqual([late.batch_id]);
  expect(simulator.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
});

test('scheduleBatch picks a start ≥ the lead ahead, reports the rounded start, and a retry does not move it', async () => {
  const { cleanCsvPath: csvPath } = await validContacts('k');
  const { batchId } = await inActivity(
    activities().createBatch,
    { attempt: 1 },
    createInput(csvPath, 'f.csv'),
  );
  const scheduled = await inActivity(activities().scheduleBatch, { attempt: 1 }, { batchId });
  expect(scheduled).toEqual({
    scheduledAt: '2026-06-23T12:02:30.000Z',
    startsAt: '2026-06-23T12:10:00.000Z',
  });
  clock.advance(30_000);
  const retried = await inActivity(
    activities().scheduleBatch,
    { attempt: 2 },
    {
      batchId,
    },
  );
  expect(retried.startsAt).toBe('2026-06-23T12:10:00.000Z');
  expect(simulator.requests.filter((r) => r.path.endsWith('/schedule'))).toHaveLength(1);
});

test('a 429 becomes a retryable failure whose next retry waits for Retry-After', async () => {
  simulator.injectFault({ path: /^\/batches\/.+$/, method: 'GET', kind: 'rate-limit', retryAfterSeconds: 9 });
  const failure = await failureOf(inActivity(activities().getBatch, { attempt: 1 }, 'f'.repeat(32)));
  expect(failure).toMatchObject({ type: 'BolnaRateLimitedError', nonRetryable: false, nextRetryDelay: 9000 });
});

test('collecting the same batch twice (a retry after a crash) writes byte-identical files', async () => {
  const acts = activities();
  const { cleanCsvPath, variableColumns } = await validContacts('collect-twice');
  const { batchId } = await inActivity(
    acts.createBatch,
    { attempt: 1 },
    createInput(cleanCsvPath, 'collect-twice.csv'),
  );
  await inActivity(acts.scheduleBatch, { attempt: 1 }, { batchId });
  clock.advance(3_600_000);
  expect((await inActivity(acts.getBatch, { attempt: 1 }, batchId)).status).toBe('completed');

  const input = { batchId, campaignKey: 'collect-twice', variableColumns };
  const first = await inActivity(acts.collectResults, { attempt: 1 }, input);
  const firstFiles = await Promise.all([readFile(first.files.jsonl), readFile(first.files.csv)]);
  const second = await inActivity(acts.collectResults, { attempt: 2 }, input);
  const secondFiles = await Promise.all([readFile(second.files.jsonl), readFile(second.files.csv)]);

  expect(second).toEqual(first);
  expect(first.totalCalls).toBe(2);
  expect(secondFiles[0].equals(firstFiles[0])).toBe(true);
  expect(secondFiles[1].equals(firstFiles[1])).toBe(true);
  expect(await readdir(join(resultsDir, 'collect-twice'))).toEqual(
    expect.not.arrayContaining([expect.stringMatching(/partial/)]),
  );
});

test('a stop retried after its delete was answered into the void reports the batch deleted, not an error', async () => {
  simulator.settings.variants.stopWhileScheduled = 'not-found';
  const acts = activities();
  const { cleanCsvPath: csvPath } = await validContacts('lost-delete');
  const { batchId } = await inActivity(
    acts.createBatch,
    { attempt: 1 },
    createInput(csvPath, 'lost-delete.csv'),
  );
  await inActivity(acts.scheduleBatch, { attempt: 1 }, { batchId });
  simulator.injectFault({ method: 'DELETE', kind: 'lost-response' });

  await expect(inActivity(acts.stopBatch, { attempt: 1 }, batchId)).rejects.toThrow();
  expect(simulator.batches.find(batchId)).toBeUndefined();
  await expect(inActivity(acts.stopBatch, { attempt: 2 }, batchId)).resolves.toEqual({
    stopped: true,
    deleted: true,
  });
});
