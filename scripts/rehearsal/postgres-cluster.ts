import { execFile } from 'node:child_process';
import { chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isExecutable } from '../../test/support/is-executable';
import { commandFailed } from './command-error';
import { listening } from './ports';
import type { StackProcess, Supervisor } from './processes';

const run = promisify(execFile);

/**
 * A private PostgreSQL cluster for the rehearsal: `initdb` in a folder of the run, the server on loopback and a port
 * of its own, password authentication as docker-compose.yml's `postgresql` service has it, no root needed (as root,
 * it runs as the `postgres` user, since PostgreSQL refuses to run as root). Stopped with SIGINT, PostgreSQL's fast
 * shutdown, which the official image's STOPSIGNAL is too: SIGTERM would wait for Temporal's pooled connections.
 */

export interface PostgresBinaries {
  bin: string;
  /** `15.18` */
  version: string;
}

/** The server binaries of PostgreSQL `major` (the compose file's), or one line saying how to get them. */
export async function findPostgres(major: string, binOverride?: string): Promise<PostgresBinaries> {
  const candidates = binOverride ? [binOverride] : [`/usr/lib/postgresql/${major}/bin`];
  if (!binOverride) {
    const onPath = await run('pg_config', ['--bindir']).then(
      ({ stdout }) => stdout.trim(),
      () => undefined,
    );
    if (onPath) candidates.push(onPath);
  }
  for (const bin of candidates) {
    if (!(await isExecutable(join(bin, 'postgres'))) || !(await isExecutable(join(bin, 'initdb')))) continue;
    const { stdout } = await run(join(bin, 'postgres'), ['--version']);
    const version = /\(PostgreSQL\) (\d+(?:\.\d+)?)/.exec(stdout)?.[1];
    if (version?.split('.')[0] === major) return { bin, version };
  }
  throw new Error(
    `PostgreSQL ${major} (the major version docker-compose.yml's postgresql image pins) was not found` +
      `${binOverride ? ` in ${binOverride}` : ''}: apt-get install postgresql-${major}, or pass --postgres-bin ` +
      'with the folder holding its initdb and postgres',
  );
}

/** The user PostgreSQL runs as: this one, unless this is root. */
async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const entry = await run('getent', ['passwd', name]).then(
      ({ stdout }) => stdout.trim().split(':'),
      () => undefined,
    );
    if (entry) return { uid: Number(entry[2]), gid: Number(entry[3]) };
  }
  throw new Error('running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as');
}

export interface PostgresCluster {
  host: string;
  port: number;
  user: string;
  /** The server's current process (a new one after each restart). */
  process(): StackProcess;
  /** Fast shutdown (SIGINT), then the server again on the same folder and port. */
  restart(): Promise<void>;
}

export interface PostgresClusterOptions {
  binaries: PostgresBinaries;
  folder: string;
  port: number;
  user: string;
  password: string;
  supervisor: Supervisor;
}

export async function startPostgresCluster(options: PostgresClusterOptions): Promise<PostgresCluster> {
  const { binaries, folder, port, user, supervisor } = options;
  const host = '127.0.0.1';
  const owner = await serverUser();
  const data = join(folder, 'data');
  await mkdir(folder, { recursive: true });
  const passwordFile = join(folder, 'password');
  await writeFile(passwordFile, `${options.password}\n`, { mode: 0o600 });
  if (owner) {
    await chown(folder, owner.uid, owner.gid);
    await chown(passwordFile, owner.uid, owner.gid);
  }
  await run(
    join(binaries.bin, 'initdb'),
    ['-D', data, '-U', user, `--pwfile=${passwordFile}`, '-A', 'scram-sha-256', '--no-sync', '-E', 'UTF8'],
    { ...(owner ?? {}), cwd: folder },
  ).catch((error: unknown) => {
    throw commandFailed('initdb', error);
  });
  await rm(passwordFile);

  let generation = 0;
  let current: StackProcess;
  const start = async () => {
    generation += 1;
    current = supervisor.start({
      label: generation === 1 ? 'postgresql' : `postgresql-${generation}`,
      role: 'postgresql',
      command: join(binaries.bin, 'postgres'),
      args: [
        '-D',
        data,
        '-p',
        String(port),
        '-c',
        `listen_addresses=${host}`,
        '-c',
        `unix_socket_directories=${folder}`,
        // Temporal's pools: 20 for the history store and 2 for visibility per service, four services.
        '-c',
        'max_connections=300',
      ],
      cwd: folder,
      env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' },
      stopSignal: 'SIGINT',
      ...(owner ?? {}),
    });
    await current.ready('accepting connections', () => listening(port), 60_000);
    await current.printed(/database system is ready to accept connections/, 'ready', 60_000);
  };
  await start();
  return {
    host,
    port,
    user,
    process: () => current,
    restart: async () => {
      await current.stop(30_000);
      await start();
    },
  };
}
