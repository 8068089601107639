/**
 * The one-command demo (`npm run demo`): everything a campaign needs, on this machine.
 *  - Temporal: the embedded dev server (SQLite in .data/, Web UI on), unless TEMPORAL_ADDRESS names a cluster.
 *  - Bolna: the simulator with shrunk rules (10 s lead, 30 s rounding, calls of a few seconds) unless
 *    BOLNA_API_KEY is set; then real Bolna, with BOLNA_AGENT_ID naming the agent, and Bolna's real rules.
 *  - A worker in this process, a campaign from examples/contacts.csv (or --csv), live progress, a results table.
 *  - With --outreach: an outreach campaign instead, two waves (unanswered calls retried once), each wave and every
 *    contact's result printed (scripts/demo-outreach.ts).
 *  - With BOLNA_PAYLOAD_KEY set: payloads encrypted, and a codec server the dev server's Web UI decrypts through.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { relative, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { Command } from 'commander';
import { startSimulator } from '../simulator/server';
import { BolnaClient } from '../src/bolna/client';
import { startCampaign } from '../src/campaigns';
import { describeResult, watchCampaign } from '../src/cli/output';
import { loadCodecServerConfig, loadPayloadKeys } from '../src/codec/config';
import { campaignDataConverter } from '../src/codec/data-converter';
import { EncryptionCodec } from '../src/codec/encryption-codec';
import { startCodecServer } from '../src/codec/server';
import { loadConfig } from '../src/config';
import { systemClock } from '../src/platform/clock';
import { ConfigError } from '../src/platform/config-error';
import { streamLogger } from '../src/platform/log-format';
import { redactingLogger } from '../src/platform/logging';
import { Redactor } from '../src/platform/redaction';
import { openResultsStore } from '../src/store/open-store';
import { searchAttributesPolicy } from '../src/temporal/search-attributes';
import { createCampaignWorker } from '../src/worker';
import { defaultDbFile, startDevServer } from '../test/support/dev-server';
import { runOutreachDemo } from './demo-outreach';

/** Shrunk Bolna rules so the demo takes about a minute; production never changes them. */
const demoRules = { minLeadMs: 10_000, roundingMs: 30_000 };
const demoAgentId = '3f1c2b8e-6a2d-4c1e-9f4b-2d7a5e8c9b10';
const sampleCsv = resolve(__dirname, '..', 'examples', 'contacts.csv');
/** Where the worker's and the Temporal SDK's log lines go, so the demo's output holds only its own lines. */
const logsDir = resolve(__dirname, '..', '.data', 'demo-logs');

/**
 * Installs the Temporal runtime (once per process) with every log line of the in-process worker, the SDK and its
 * core (INFO and up, JSON, one per line, secrets redacted) written to a file of its own, and opens that file.
 */
function installFileLogging(secrets: readonly (string | undefined)[]): { file: string; stream: WriteStream } {
  mkdirSync(logsDir, { recursive: true });
  const file = resolve(logsDir, `worker-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  const stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
  Runtime.install({
    // A line the runtime writes while it shuts down, after the file was closed, is dropped.
    logger: redactingLogger(
      streamLogger('INFO', { write: (text: string) => stream.writableEnded || stream.write(text) }),
      new Redactor(secrets),
    ),
    telemetryOptions: { logging: { forward: {}, filter: { core: 'INFO', other: 'ERROR' } } },
  });
  return { file, stream };
}

async function main(): Promise<void> {
  const options = new Command('demo')
    .option('--csv <path>', `contact list (default: ${sampleCsv}, simulator only)`)
    .option('--outreach', 'run an outreach campaign of waves: unanswered calls are retried in a second wave')
    .option('--keep-running', 'keep the dev server and worker up after the campaign (Ctrl-C to stop)')
    .parse()
    .opts<{ csv?: string; outreach?: boolean; keepRunning?: boolean }>();
  const config = loadConfig();
  const payloadKeys = loadPayloadKeys();
  const dataConverter = campaignDataConverter(payloadKeys);
  const log = (line: string) => console.log(line);
  // The demo speaks for itself below; the worker's and the SDK's lines (e.g. "No workflows registered") go to a file.
  const logs = installFileLogging([config.bolna.apiKey, process.env.TEMPORAL_API_KEY]);
  log(`Worker and Temporal SDK logs: ${relative(process.cwd(), logs.file)}`);
  const cleanups: (() => Promise<void>)[] = [
    async () => {
      logs.stream.end();
      await finished(logs.stream);
    },
  ];

  try {
    let uiCodecEndpoint: string | undefined;
    if (payloadKeys) {
      const codecServer = await startCodecServer({
        codec: new EncryptionCodec(payloadKeys),
        ...loadCodecServerConfig(),
      });
      cleanups.push(() => codecServer.close());
      uiCodecEndpoint = codecServer.url;
      log(
        `Payloads encrypted (key ID ${payloadKeys.current.id}); codec server for the Web UI at ${codecServer.url}`,
      );
    }

    const temporalAddress = process.env.TEMPORAL_ADDRESS;
    let uiUrl: string | undefined;
    if (!temporalAddress) {
      const server = await startDevServer({
        dbFile: defaultDbFile,
        log,
        ...(uiCodecEndpoint ? { uiCodecEndpoint } : {}),
      });
      if (uiCodecEndpoint && !server.owned)
        log(`That server's Web UI decrypts only if its Data Encoder setting points at ${uiCodecEndpoint}`);
      cleanups.push(() => server.stop());
      process.env.TEMPORAL_ADDRESS = server.address;
      uiUrl = server.uiUrl;
    }

    let bolna: BolnaClient;
    let rules = config.bolna.rules;
    let agentId = process.env.BOLNA_AGENT_ID;
    if (config.bolna.apiKey) {
      if (!agentId)
        throw new ConfigError(
          'BOLNA_AGENT_ID is not set: with BOLNA_API_KEY the demo calls real Bolna and needs your agent id',
        );
      // The sample's numbers may belong to real people: real calls only go to a list the user chose.
      if (!options.csv)
        throw new ConfigError(
          'With BOLNA_API_KEY set, pass --csv <your contacts.csv>: the sample list is for the simulator only',
        );
      bolna = new BolnaClient({ apiKey: config.bolna.apiKey, baseUrl: config.bolna.baseUrl });
      log(`Bolna: ${config.bolna.baseUrl} (real calls will be placed)`);
    } else {
      const simulator = await startSimulator({
        rules: demoRules,
        calls: {
          concurrency: 5,
          ringMs: 2_000,
          talkMs: 5_000,
          postProcessingMs: 3_000,
          // More calls unanswered than Bolna's usual mix, so the outreach demo has a retry wave to show.
          ...(options.outreach ? { outcomes: { completed: 0.6, 'no-answer': 0.3, busy: 0.1 } } : {}),
        },
      });
      cleanups.push(() => simulator.close());
      bolna = new BolnaClient({ apiKey: 'demo-key', baseUrl: simulator.url });
      rules = demoRules;
      agentId ??= demoAgentId;
      log(
        `Bolna: simulator at ${simulator.url} (no BOLNA_API_KEY set; rules shrunk to a 10 s lead and 30 s rounding)`,
      );
    }

    // A task queue of its own: a real-key worker on the shared queue must never pick up the sample campaign.
    const taskQueue = config.bolna.apiKey ? config.taskQueue : `${config.taskQueue}-demo-${process.pid}`;
    const { connectionOptions, namespace } = loadClientConnectConfig();
    const workerConnection = await NativeConnection.connect(connectionOptions);
    const worker = await createCampaignWorker({
      connection: workerConnection,
      ...(namespace ? { namespace } : {}),
      taskQueue,
      activities: {
        bolna,
        clock: systemClock,
        resultsStore: openResultsStore(config),
        rules,
        redactor: new Redactor([config.bolna.apiKey]),
        csvSources: config.csvSources,
        searchAttributes: searchAttributesPolicy(
          workerConnection,
          namespace ?? 'default',
          config.searchAttributes,
        ),
      },
      ...(dataConverter ? { dataConverter } : {}),
      bolnaRequestsPerMinute: config.bolna.requestsPerMinute,
    });
    const workerRun = worker.run();
    cleanups.push(async () => {
      worker.shutdown();
      await workerRun;
      await workerConnection.close();
    });

    const connection = await Connection.connect(connectionOptions);
    cleanups.push(() => connection.close());
    const client = new Client({
      connection,
      ...(namespace ? { namespace } : {}),
      ...(dataConverter ? { dataConverter } : {}),
    });
    const name = `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const csv = options.csv ?? sampleCsv;
    if (options.outreach) {
      await runOutreachDemo({
        client,
        taskQueue,
        agentId,
        csv,
        name,
        rules,
        namespace: namespace ?? 'default',
        log,
        ...(uiUrl ? { uiUrl } : {}),
      });
    } else {
      const started = await startCampaign({
        client,
        input: { agentId, csv, pollIntervalSeconds: 2 },
        name,
        taskQueue,
      });
      log(`Started ${started.workflowId} with ${started.csv?.rows ?? '?'} contacts`);
      if (uiUrl)
        log(
          `Watch it in the Temporal Web UI: ${uiUrl}/namespaces/${namespace ?? 'default'}/workflows/${started.workflowId}`,
        );
      await watchCampaign(started.handle);
      log(describeResult(await started.handle.result()));
    }
    if (uiUrl) log(`Web UI: ${uiUrl} (npm run temporal:dev serves it again later, with this history)`);

    if (options.keepRunning) {
      log('Still running; Ctrl-C stops the worker and the dev server.');
      await new Promise<void>((done) => process.once('SIGINT', () => done()));
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
