import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { grpc } from '@temporalio/proto';
import { commandFailed } from './command-error';
import { hostPathOf } from './compose-file';
import type { ComposeFile } from './compose-file';
import type { TemporalServerBuild, UiServerBuild } from './go-builds';
import type { PostgresCluster } from './postgres-cluster';
import type { StackProcess, Supervisor } from './processes';

const run = promisify(execFile);

/**
 * Temporal as docker-compose.yml runs it: the schema step, the server from its embedded configuration template
 * (what the temporalio/server image does), the setup step and the Web UI, each with its service's own environment
 * from the compose file. What the rehearsal changes is only what Compose's network would provide: every address is
 * loopback and every port a free one, so a rehearsal never collides with a dev server on 7233.
 */

/** Ports of the server's four services (gRPC and membership each) and the frontend's HTTP API. */
export interface ServerPorts {
  frontendGrpc: number;
  frontendHttp: number;
  frontendMembership: number;
  historyGrpc: number;
  historyMembership: number;
  matchingGrpc: number;
  matchingMembership: number;
  workerGrpc: number;
  workerMembership: number;
}

/** Runs a one-shot service's script (its entrypoint `sh /deploy/….sh`) with its environment and `extraEnv`. */
async function runOneShot(
  compose: ComposeFile,
  name: string,
  extraEnv: Record<string, string>,
  log: (line: string) => void,
): Promise<void> {
  const service = compose.service(name);
  const [shell, script] = service.entrypoint;
  if (shell !== 'sh' || !script)
    throw new Error(`docker-compose.yml's ${name} does not run a script with sh`);
  const began = Date.now();
  await run('sh', [hostPathOf(service, script)], {
    env: { ...service.environment, ...extraEnv },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: unknown) => {
    throw commandFailed(`${name} (${script})`, error);
  });
  log(`${name}: ${script} done in ${((Date.now() - began) / 1000).toFixed(1)} s`);
}

export async function migrateSchemas(
  compose: ComposeFile,
  build: TemporalServerBuild,
  database: PostgresCluster,
  log: (line: string) => void,
): Promise<void> {
  await runOneShot(
    compose,
    'temporal-schema',
    {
      PATH: `${build.sqlToolDir}${delimiter}${process.env.PATH ?? ''}`,
      POSTGRES_SEEDS: database.host,
      DB_PORT: String(database.port),
      TEMPORAL_SCHEMA_DIR: build.schemaDir,
    },
    log,
  );
}

export interface TemporalServer {
  address: string;
  process(): StackProcess;
  /** SIGTERM (`docker compose restart temporal`), then the server again with the same configuration. */
  restart(): Promise<void>;
}

export async function startTemporalServer(options: {
  compose: ComposeFile;
  build: TemporalServerBuild;
  database: PostgresCluster;
  ports: ServerPorts;
  folder: string;
  supervisor: Supervisor;
}): Promise<TemporalServer> {
  const { compose, build, database, ports, supervisor } = options;
  const service = compose.service('temporal');
  const dynamicConfig = service.environment.DYNAMIC_CONFIG_FILE_PATH;
  const env: NodeJS.ProcessEnv = {
    ...service.environment,
    // Compose's network, on loopback.
    POSTGRES_SEEDS: database.host,
    DB_PORT: String(database.port),
    BIND_ON_IP: '127.0.0.1',
    FRONTEND_GRPC_PORT: String(ports.frontendGrpc),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    HISTORY_GRPC_PORT: String(ports.historyGrpc),
    HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    MATCHING_GRPC_PORT: String(ports.matchingGrpc),
    MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    WORKER_GRPC_PORT: String(ports.workerGrpc),
    WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
    // The mounted file, where it is on this host.
    ...(dynamicConfig ? { DYNAMIC_CONFIG_FILE_PATH: hostPathOf(service, dynamicConfig) } : {}),
  };
  const address = `127.0.0.1:${ports.frontendGrpc}`;
  let generation = 0;
  let current: StackProcess;
  const start = async () => {
    generation += 1;
    current = supervisor.start({
      label: generation === 1 ? 'temporal-server' : `temporal-server-${generation}`,
      role: 'temporal-server',
      command: build.server,
      args: ['start'],
      cwd: options.folder,
      env,
    });
    await current.ready('serving', () => frontendServing(address), 120_000);
  };
  await start();
  return {
    address,
    process: () => current,
    restart: async () => {
      await current.stop(10_000);
      await start();
    },
  };
}

/** Whether the frontend answers a health check, as the compose healthcheck's `nc -z` does, one step further. */
async function frontendServing(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1_000 });
    try {
      const { status } = await connection.healthService.check({});
      return status === grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

export async function setUpNamespace(
  compose: ComposeFile,
  temporalCli: string,
  address: string,
  log: (line: string) => void,
): Promise<void> {
  await runOneShot(
    compose,
    'setup',
    { PATH: `${dirname(temporalCli)}${delimiter}${process.env.PATH ?? ''}`, TEMPORAL_ADDRESS: address },
    log,
  );
}

/**
 * The Web UI server with the UI image's configuration template and the `temporal-ui` service's environment; bound to
 * loopback, as the compose file publishes it only there. `codecEndpoint`: the codec server the browser decrypts
 * payloads through.
 */
export async function startWebUi(options: {
  compose: ComposeFile;
  build: UiServerBuild;
  temporalAddress: string;
  port: number;
  codecEndpoint: string;
  folder: string;
  supervisor: Supervisor;
}): Promise<{ url: string; process: StackProcess }> {
  const { compose, build, port } = options;
  const service = compose.service('temporal-ui');
  const configDir = join(options.folder, 'config');
  await mkdir(configDir, { recursive: true });
  const template = await readFile(build.configTemplate, 'utf8');
  await writeFile(join(configDir, 'docker.yaml'), `${template}\nhost: 127.0.0.1\n`);
  const url = `http://localhost:${port}`;
  const ui = options.supervisor.start({
    label: 'temporal-ui',
    role: 'temporal-ui',
    command: build.server,
    args: ['--root', options.folder, '--env', 'docker', 'start'],
    cwd: options.folder,
    env: {
      ...service.environment,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_UI_PORT: String(port),
      TEMPORAL_CORS_ORIGINS: url,
      TEMPORAL_CODEC_ENDPOINT: options.codecEndpoint,
    },
  });
  await ui.ready('serving', async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/`)).ok;
    } catch {
      return false;
    }
  });
  return { url, process: ui };
}
