import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseEnv, promisify } from 'node:util';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { Client, Connection } from '@temporalio/client';
import { startSimulator } from '../../simulator/server';
import type { RunningSimulator, SimulatorOptions } from '../../simulator/server';
import type { ScheduleRules } from '../../src/bolna/schedule-time';
import { loadPayloadKeys } from '../../src/codec/config';
import { campaignDataConverter } from '../../src/codec/data-converter';
import { readDockerStages } from '../../test/support/dockerfile';
import {
  ensureMotoServer,
  objectStoreClient,
  objectStoreCredentials,
  objectStoreEnv,
} from '../../test/support/object-store-server';
import { ensureServerBinary, temporalCli } from '../../test/support/temporal-servers';
import { commandFailed } from './command-error';
import { readComposeFile } from './compose-file';
import type { ComposeFile } from './compose-file';
import { startCsvHost } from './csv-host';
import type { CsvHost } from './csv-host';
import { ensureTemporalServerBuild, ensureUiServerBuild } from './go-builds';
import { freeLoopbackPorts, listening } from './ports';
import { findPostgres, startPostgresCluster } from './postgres-cluster';
import type { PostgresCluster } from './postgres-cluster';
import type { StackProcess, Supervisor } from './processes';
import { migrateSchemas, setUpNamespace, startTemporalServer, startWebUi } from './temporal-cluster';
import type { TemporalServer } from './temporal-cluster';

const run = promisify(execFile);
const root = resolve(__dirname, '..', '..');

/**
 * The production stack of docker-compose.yml, brought up here from real parts: PostgreSQL, Temporal's schema step,
 * server, setup step and Web UI, an S3-compatible store (moto's server), the webhook receiver and the codec server
 * (the product's own entry points, built as the Dockerfile builds them), and worker processes that share no folder,
 * each in a working folder of its own. Bolna is the simulator, in this process, so that the rehearsal can read what
 * Bolna saw.
 */

export interface StackOptions {
  workers: number;
  uiPort: number;
  postgresBin?: string;
  rules: ScheduleRules;
  simulator: Omit<SimulatorOptions, 'apiKey' | 'rules' | 'port' | 'host'>;
  supervisor: Supervisor;
  /** The run's folder: logs, each worker host's folder, the CSVs the file host serves. */
  folder: string;
  log: (line: string) => void;
}

export interface Stack {
  compose: ComposeFile;
  database: PostgresCluster;
  temporal: TemporalServer;
  temporalCli: string;
  webUiUrl: string;
  codecUrl: string;
  simulator: RunningSimulator;
  /** The backend's client: payloads encrypted with the workers' key. */
  client: Client;
  s3: S3Client;
  bucket: string;
  /** Where campaigns keep their files: `s3://<bucket>/<prefix>`. */
  store: string;
  csvHost: CsvHost;
  /** The workers alive now, in the order they were started. */
  workers(): StackProcess[];
  /** A new worker host (its own folder), started as the compose file's `worker` service runs the image. */
  startWorker(): Promise<StackProcess>;
  /** How long a stopping worker may take, the compose file's `stop_grace_period`. */
  workerStopGraceMs: number;
  /** An operator's shell: the .env the services get, to run the product's CLI (`cliEntry`) with. */
  operatorEnv: NodeJS.ProcessEnv;
  cliEntry: string;
  /** Every secret the stack holds, to look for where it must never be. */
  secrets: Record<string, string>;
  close(): Promise<void>;
}

/** `60s`, `1m30s`: Compose's durations. */
function composeDurationMs(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)(ms|s|m|h)/g)) {
    total += Number(amount) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
  }
  return total;
}

async function buildProduct(log: (line: string) => void): Promise<void> {
  const began = Date.now();
  // What the Dockerfile's build stage runs, so the workers run what the image would hold.
  for (const script of ['build', 'build:workflow-bundle']) {
    await run('npm', ['run', script], { cwd: root, maxBuffer: 64 * 1024 * 1024 }).catch((error: unknown) => {
      throw commandFailed(`npm run ${script}`, error);
    });
  }
  log(
    `Built the product (npm run build, build:workflow-bundle) in ${Math.round((Date.now() - began) / 1000)} s`,
  );
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const { supervisor, log, folder } = options;
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    // The operator's .env: .env.example with the two values it asks for filled in, as docs/production.md says to.
    const envFile: Record<string, string> = {
      ...parseEnv(await readFile(join(root, '.env.example'), 'utf8')),
      POSTGRES_PASSWORD: randomBytes(18).toString('base64url'),
      BOLNA_API_KEY: `bn-rehearsal-${randomBytes(16).toString('hex')}`,
    };
    const compose = await readComposeFile(envFile);
    const uiPortTaken = await listening(options.uiPort);
    if (uiPortTaken) {
      throw new Error(
        `Port ${options.uiPort} (the Web UI's) is taken: stop what listens there or pass --ui-port <free port>`,
      );
    }
    const postgresVersion = compose.imageVersion('postgresql').split('.')[0]!;
    const postgres = await findPostgres(postgresVersion, options.postgresBin);
    const serverVersion = compose.imageVersion('temporal');
    const serverBuild = await ensureTemporalServerBuild(serverVersion, log);
    const uiBuild = await ensureUiServerBuild(compose.imageVersion('temporal-ui'), log);
    const cli = await ensureServerBinary(temporalCli, log);
    const motoPython = await ensureMotoServer(log);
    await buildProduct(log);

    const [pgPort, fg, fh, hg, mg, wg, s3Port, webhookPort, codecPort, csvPort] = await freeLoopbackPorts(10);
    const [fm, hm, mm, wm] = await freeLoopbackPorts(4, 32_768);

    // PostgreSQL's folder lies directly under the system's temporary folder: as root it runs as another user, who
    // must be able to reach it.
    const pgFolder = await mkdtemp(join(tmpdir(), 'rehearsal-postgresql-'));
    supervisor.removeAtEnd(pgFolder);
    const postgresService = compose.service('postgresql');
    const database = await startPostgresCluster({
      binaries: postgres,
      folder: pgFolder,
      port: pgPort!,
      user: postgresService.environment.POSTGRES_USER ?? 'postgres',
      password: postgresService.environment.POSTGRES_PASSWORD ?? '',
      supervisor,
    });
    log(`PostgreSQL ${postgres.version} on ${database.host}:${database.port}`);
    await migrateSchemas(compose, serverBuild, database, log);
    const serverFolder = join(folder, 'temporal-server');
    await mkdir(serverFolder, { recursive: true });
    const temporal = await startTemporalServer({
      compose,
      build: serverBuild,
      database,
      ports: {
        frontendGrpc: fg!,
        frontendHttp: fh!,
        frontendMembership: fm!,
        historyGrpc: hg!,
        historyMembership: hm!,
        matchingGrpc: mg!,
        matchingMembership: mm!,
        workerGrpc: wg!,
        workerMembership: wm!,
      },
      folder: serverFolder,
      supervisor,
    });
    log(`Temporal server ${serverVersion} on ${temporal.address} (PostgreSQL, SQL visibility)`);
    await setUpNamespace(compose, cli, temporal.address, log);
    // Running it a second time must change nothing, as the compose file promises for every `up`.
    await setUpNamespace(compose, cli, temporal.address, log);
    await migrateSchemas(compose, serverBuild, database, log);

    const payloadEnv = {
      BOLNA_PAYLOAD_KEY: randomBytes(32).toString('base64'),
      BOLNA_PAYLOAD_KEY_ID: 'rehearsal-1',
    };
    const secrets = {
      BOLNA_API_KEY: envFile.BOLNA_API_KEY!,
      POSTGRES_PASSWORD: envFile.POSTGRES_PASSWORD!,
      BOLNA_PAYLOAD_KEY: payloadEnv.BOLNA_PAYLOAD_KEY,
      BOLNA_WEBHOOK_SECRET: randomBytes(24).toString('base64url'),
      AWS_SECRET_ACCESS_KEY: objectStoreCredentials.AWS_SECRET_ACCESS_KEY,
    };

    const webUi = await (async () => {
      const uiFolder = join(folder, 'temporal-ui');
      await mkdir(uiFolder, { recursive: true });
      return startWebUi({
        compose,
        build: uiBuild,
        temporalAddress: temporal.address,
        port: options.uiPort,
        codecEndpoint: `http://127.0.0.1:${codecPort}`,
        folder: uiFolder,
        supervisor,
      });
    })();

    const moto = supervisor.start({
      label: 'object-store',
      role: 'object-store',
      command: motoPython,
      args: ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(s3Port)],
      env: { PATH: process.env.PATH ?? '' },
    });
    await moto.ready('serving S3', () => listening(s3Port!), 60_000);
    const s3Endpoint = `http://127.0.0.1:${s3Port}`;
    const s3 = objectStoreClient(s3Endpoint);
    cleanups.push(() => Promise.resolve(s3.destroy()));
    const bucket = 'bolna-campaigns';
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const store = `s3://${bucket}/rehearsal`;

    const simulator = await startSimulator({
      ...options.simulator,
      apiKey: secrets.BOLNA_API_KEY,
      rules: options.rules,
    });
    cleanups.push(() => simulator.close());
    const csvHost = await startCsvHost(join(folder, 'lists'), csvPort!);
    cleanups.push(() => csvHost.close());

    // Every process of the product gets the operator's .env (the compose file's env_file) and the image's own
    // environment; paths under /app are the project's (dist/) or the host's folder (results, campaigns).
    const runtime = readDockerStages().at(-1)!;
    const productEnv = (hostFolder: string): NodeJS.ProcessEnv => {
      const imageEnv = Object.fromEntries(
        Object.entries(runtime.env).map(([name, value]) => [
          name,
          value.replace(/^\/app\/(dist\b.*)$/, `${root}/$1`).replace(/^\/app\//, `${hostFolder}/`),
        ]),
      );
      return {
        PATH: process.env.PATH ?? '',
        HOME: hostFolder,
        ...imageEnv,
        ...envFile,
        TEMPORAL_ADDRESS: temporal.address,
        BOLNA_BASE_URL: simulator.url,
        BOLNA_SCHEDULE_LEAD_SECONDS: String(options.rules.minLeadMs / 1000),
        BOLNA_SCHEDULE_ROUNDING_SECONDS: String(options.rules.roundingMs / 1000),
        // The CSV host is on loopback, which a worker refuses unless it is named.
        BOLNA_CSV_ALLOWED_HOSTS: '127.0.0.1',
        ...objectStoreEnv(s3Endpoint, store),
        ...payloadEnv,
        BOLNA_WEBHOOK_BASE_URL: `http://127.0.0.1:${webhookPort}`,
        BOLNA_WEBHOOK_SECRET: secrets.BOLNA_WEBHOOK_SECRET,
        BOLNA_WEBHOOK_PORT: String(webhookPort),
        BOLNA_CODEC_SERVER_PORT: String(codecPort),
        BOLNA_CODEC_SERVER_CORS_ORIGINS: webUi.url,
      };
    };
    const hostFolder = async (name: string) => {
      const at = join(folder, 'hosts', name);
      for (const sub of ['results', 'campaigns']) await mkdir(join(at, sub), { recursive: true });
      return at;
    };
    /** A service of the product's image, run by its `node <file>` command with the project as the image's /app. */
    const startProduct = async (label: string, role: string, [program, script]: string[]) => {
      if (program !== 'node' || !script) throw new Error(`${role} does not run \`node <file>\``);
      const at = await hostFolder(label);
      return supervisor.start({
        label,
        role,
        command: process.execPath,
        args: [join(root, script)],
        cwd: at,
        env: productEnv(at),
      });
    };

    const receiver = await startProduct('webhooks', 'webhooks', compose.service('webhooks').command);
    await receiver.ready('listening', () => listening(webhookPort!));
    const codec = await startProduct('codec-server', 'codec-server', compose.service('codec-server').command);
    await codec.ready('listening', () => listening(codecPort!));

    const workers: StackProcess[] = [];
    let started = 0;
    const startWorker = async () => {
      started += 1;
      const worker = await startProduct(`worker-${started}`, 'worker', runtime.cmd ?? []);
      workers.push(worker);
      await worker.printed(/Worker polling task queue/, 'polling its task queue');
      return worker;
    };
    for (let i = 0; i < options.workers; i += 1) await startWorker();
    log(`${options.workers} workers polling; Web UI at ${webUi.url}`);

    // Never closed: the process's exit ends it, while closing it under calls still retrying would make their retry
    // timers throw.
    const connection = await Connection.connect({ address: temporal.address });
    const dataConverter = campaignDataConverter(loadPayloadKeys(payloadEnv));
    const client = new Client({
      connection,
      namespace: envFile.TEMPORAL_NAMESPACE ?? 'default',
      ...(dataConverter ? { dataConverter } : {}),
    });

    return {
      compose,
      database,
      temporal,
      temporalCli: cli,
      webUiUrl: webUi.url,
      codecUrl: `http://127.0.0.1:${codecPort}`,
      simulator,
      client,
      s3,
      bucket,
      store,
      csvHost,
      workers: () => workers.filter((worker) => worker.alive()),
      startWorker,
      operatorEnv: productEnv(folder),
      cliEntry: join(root, 'dist', 'starter.js'),
      workerStopGraceMs: composeDurationMs(compose.service('worker').stopGracePeriod ?? '10s'),
      secrets,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
