import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { request } from 'undici';
import { connectClient, startCampaign } from '../../src/campaigns';
import { loadPayloadKeys } from '../../src/codec/config';
import { campaignDataConverter } from '../../src/codec/data-converter';
import { EncryptionCodec } from '../../src/codec/encryption-codec';
import { startCodecServer } from '../../src/codec/server';
import type { RunningCodecServer } from '../../src/codec/server';
import { progressQuery } from '../../src/workflows/definitions';
import type { CampaignResult } from '../../src/workflows/definitions';
import { testAgentId as agentId, threeContactsCsv } from '../support/constants';
import { startDevStack } from '../support/dev-stack';
import type { DevStack } from '../support/dev-stack';
import { installQuietRuntime } from '../support/quiet-runtime';

/**
 * Payload encryption end to end, on the real dev server with the real `temporal` CLI: what Temporal stores and
 * shows is checked for personal data with encryption on (none) and off (all of it, so these checks can fail), and
 * the codec server makes it readable again to whoever holds the key.
 */

const keyEnv = { BOLNA_PAYLOAD_KEY: randomBytes(32).toString('base64'), BOLNA_PAYLOAD_KEY_ID: 'e2e-1' };
const keys = loadPayloadKeys(keyEnv)!;
const dataConverter = campaignDataConverter(keys)!;
const codecToken = 'e2e-codec-token-0123456789';
const encryptedQueue = 'e2e-encrypted';
const plainQueue = 'e2e-plain';

/**
 * A list with its columns swapped on one row and a number twice: validation quotes a contact's name and number
 * back in its error, as it must for a person to fix the file, which is why errors are encrypted too.
 */
const refusedCsv =
  'contact_number,name\n+919876543210,Asha\nRavi Kumar,+919812345678\n+919876543210,Asha again\n';
const phoneNumber = '9876543210';
const contactName = 'Ravi Kumar';

let codecServer: RunningCodecServer;
let stack: DevStack;
let encryptedClient: Client;
let plainClient: Client;
let csvPath: string;
let refusedCsvPath: string;

beforeAll(async () => {
  // The refused campaign is expected to fail; its worker log lines would only clutter the output.
  installQuietRuntime();
  codecServer = await startCodecServer({
    codec: new EncryptionCodec(keys),
    port: 0,
    corsOrigins: ['http://localhost:8233'],
    token: codecToken,
  });
  stack = await startDevStack({
    name: 'encryption-e2e',
    uiCodecEndpoint: codecServer.url,
    simulator: { calls: { concurrency: 4, ringMs: 300, talkMs: 1_000, postProcessingMs: 500 } },
  });
  csvPath = join(stack.workDir, 'december-contacts.csv');
  refusedCsvPath = join(stack.workDir, 'swapped-columns.csv');
  await writeFile(csvPath, threeContactsCsv);
  await writeFile(refusedCsvPath, refusedCsv);
  await stack.runWorker({ taskQueue: encryptedQueue, dataConverter });
  await stack.runWorker({ taskQueue: plainQueue });
  encryptedClient = new Client({ connection: stack.connection, dataConverter });
  plainClient = stack.client;
}, 180_000);

afterAll(async () => {
  await stack?.close();
  await codecServer?.close();
});

/**
 * All that `temporal workflow show -o json` lets anyone with access to the Temporal server read: the JSON, plus
 * every payload's data and metadata, which it prints as base64.
 */
async function show(workflowId: string, ...options: string[]): Promise<string> {
  const args = ['workflow', 'show', '--workflow-id', workflowId, '-o', 'json', ...options];
  const { stdout } = await stack.temporal(...args);
  const readable = [stdout];
  const fromBase64 = (value: unknown) => {
    if (typeof value === 'string') readable.push(Buffer.from(value, 'base64').toString('utf8'));
  };
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        if (key === 'data') fromBase64(child);
        else if (key === 'metadata' && child !== null && typeof child === 'object')
          Object.values(child as Record<string, unknown>).forEach(fromBase64);
        else visit(child);
      }
    }
  };
  visit(JSON.parse(stdout));
  return readable.join('\n');
}

/** How the Web UI summary (user metadata, set by startCampaign) is stored: `json/plain` or `binary/encrypted`. */
async function summaryEncoding(workflowId: string): Promise<string> {
  const { stdout } = await stack.temporal('workflow', 'show', '--workflow-id', workflowId, '-o', 'json');
  const history = JSON.parse(stdout) as {
    events: { userMetadata?: { summary?: { metadata: { encoding: string } } } }[];
  };
  const summary = history.events[0]?.userMetadata?.summary;
  return Buffer.from(summary?.metadata.encoding ?? '', 'base64').toString('utf8');
}

/** The same, through our codec server, by someone who holds its token. */
const showDecoded = (workflowId: string) =>
  show(workflowId, '--codec-endpoint', codecServer.url, '--codec-auth', `Bearer ${codecToken}`);

interface CampaignPair {
  completedId: string;
  refusedId: string;
  result: CampaignResult;
  /** What the CLI shows of both histories. */
  shown: string;
}

/**
 * Through our client library, as backend code would: one campaign that completes (its history holds the CSV path
 * and the results files) and one whose CSV is refused (its history holds a name and a number from the file).
 */
async function runCampaigns(client: Client, taskQueue: string): Promise<CampaignPair> {
  const label = `${taskQueue}-${Date.now()}`;
  const completed = await startCampaign({
    client,
    taskQueue,
    name: label,
    input: { agentId, csv: csvPath, pollIntervalSeconds: 1 },
  });
  // Not checked locally, so that the worker refuses it; its Web UI summary then names the CSV by path.
  const refused = await startCampaign({
    client,
    taskQueue,
    name: `${label}-refused`,
    input: { agentId, csv: refusedCsvPath },
    validateLocally: false,
  });
  const result = await completed.handle.result();
  expect(result).toMatchObject({ outcome: 'completed', totalCalls: 3 });
  expect(await completed.handle.query(progressQuery)).toMatchObject({ phase: 'completed' });

  // Our client decrypts the refusal, message and details, for whoever asks.
  const refusal = await refused.handle.result().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(refusal).toBeInstanceOf(WorkflowFailedError);
  const activityFailure = (refusal as WorkflowFailedError).cause;
  expect((activityFailure?.cause as Error | undefined)?.message).toContain(`'${contactName}'`);

  return {
    completedId: completed.workflowId,
    refusedId: refused.workflowId,
    result,
    shown: (await show(completed.workflowId)) + (await show(refused.workflowId)),
  };
}

const personalData = (result: CampaignResult) => ({
  phoneNumber,
  contactName,
  csvPath,
  refusedCsvPath,
  resultsJsonl: result.files!.jsonl,
  resultsCsv: result.files!.csv,
});

test('the dev server Web UI is told where the codec server is', async () => {
  const response = await request(`${stack.server.uiUrl}/api/v1/settings`);
  const settings = (await response.body.json()) as { Codec: { Endpoint: string } };
  expect(settings.Codec.Endpoint).toBe(codecServer.url);
});

test('encryption on: the campaign runs, our client reads it, and the CLI shows no personal data', async () => {
  const { completedId, refusedId, result, shown } = await runCampaigns(encryptedClient, encryptedQueue);
  expect(result.files?.jsonl).toMatch(/executions\.jsonl$/);
  for (const [what, value] of Object.entries(personalData(result)))
    expect({ what, found: shown.includes(value) }).toEqual({ what, found: false });
  expect(shown).toContain('binary/encrypted');
  // The SDK runs user metadata through the payload codec too: the summary naming the CSV is sealed.
  expect(await summaryEncoding(refusedId)).toBe('binary/encrypted');

  // The same command through our codec server, with the key's holder's token, shows it all again.
  const decodedCompleted = await showDecoded(completedId);
  expect(decodedCompleted).toContain(csvPath);
  expect(decodedCompleted).toContain(result.files!.jsonl);
  const decodedRefused = await showDecoded(refusedId);
  expect(decodedRefused).toContain(refusedCsvPath);
  expect(decodedRefused).toContain(contactName);
  expect(decodedRefused).not.toContain('binary/encrypted');
});

test('encryption off: the same checks find every value, so they can fail', async () => {
  const { refusedId, result, shown } = await runCampaigns(plainClient, plainQueue);
  for (const [what, value] of Object.entries(personalData(result)))
    expect({ what, found: shown.includes(value) }).toEqual({ what, found: true });
  expect(shown).not.toContain('binary/encrypted');
  expect(await summaryEncoding(refusedId)).toBe('json/plain');
});

test('a campaign started with the plain temporal CLI (unencrypted input) runs on an encrypting worker', async () => {
  const workflowId = `campaign-e2e-plain-start-${Date.now()}`;
  await stack.temporal(
    'workflow',
    'start',
    '--type',
    'batchCampaign',
    '--task-queue',
    encryptedQueue,
    '--workflow-id',
    workflowId,
    '--input',
    JSON.stringify({ agentId, csv: csvPath, pollIntervalSeconds: 1 }),
  );
  const handle = encryptedClient.workflow.getHandle(workflowId);
  const result = (await handle.result()) as CampaignResult;
  expect(result).toMatchObject({ outcome: 'completed', totalCalls: 3 });
  // What the worker wrote is encrypted even so: the result is not readable without the codec.
  const shown = await show(workflowId);
  expect(shown).not.toContain(result.files!.jsonl);
  expect(await showDecoded(workflowId)).toContain(result.files!.jsonl);
});

test("connectClient (the CLI's client) takes the key from the environment; without the right one it says which", async () => {
  const { completedId, result } = await runCampaigns(encryptedClient, encryptedQueue);
  const readWith = async (keyVariables: Record<string, string>): Promise<CampaignResult> => {
    const env = { TEMPORAL_ADDRESS: stack.server.address, ...keyVariables };
    const saved = Object.keys(env).map((name) => [name, process.env[name]] as const);
    Object.assign(process.env, env);
    try {
      const client = await connectClient();
      try {
        return (await client.workflow.getHandle(completedId).result()) as CampaignResult;
      } finally {
        await client.connection.close();
      }
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  };
  expect(await readWith(keyEnv)).toEqual(result);
  await expect(
    readWith({ BOLNA_PAYLOAD_KEY: randomBytes(32).toString('base64'), BOLNA_PAYLOAD_KEY_ID: 'e2e-2' }),
  ).rejects.toThrow(/key ID "e2e-1", which is not configured here/);
  await expect(readWith({ BOLNA_PAYLOAD_KEY: '', BOLNA_PAYLOAD_KEY_ID: '' })).rejects.toThrow(
    /Unknown encoding: binary\/encrypted/,
  );
});
