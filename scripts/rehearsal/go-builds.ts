import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { isExecutable } from '../../test/support/is-executable';
import { commandFailed } from './command-error';

const run = promisify(execFile);

/**
 * Temporal's production server, its schema tool and its Web UI server, built from their Go modules (the Go module
 * proxy is the only place they can come from here) at the versions docker-compose.yml pins, once: the results are
 * cached in the git-ignored `.cache/temporal-stack/` and found there again. The server takes minutes to build on
 * two cores; the UI server, whose module carries the built Web UI, under one.
 */

const cacheDir = resolve(__dirname, '..', '..', '.cache', 'temporal-stack');

export interface TemporalServerBuild {
  /** `temporal-server`: `start` with no flags reads its configuration from the environment, as the image does. */
  server: string;
  /** `temporal-sql-tool`, in a folder of its own so that it can be put on a script's PATH. */
  sqlToolDir: string;
  /** The module's `schema/` folder, what the admin-tools image keeps in /etc/temporal/schema. */
  schemaDir: string;
}

export interface UiServerBuild {
  /** `temporal-ui-server`: `--root <dir> --env docker start` reads `<dir>/config/docker.yaml`, as the image does. */
  server: string;
  /** The module's `config/docker.yaml`, the UI image's configuration template. */
  configTemplate: string;
}

/** One line naming what to do when Go is missing or too old to build Temporal. */
async function checkGo(): Promise<void> {
  try {
    await run('go', ['version']);
  } catch {
    throw new Error(
      'Go is needed once, to build Temporal’s server from its module (go.temporal.io/server): install Go 1.21 or ' +
        'later (apt-get install golang-go, or a release from go.dev) and put `go` on PATH',
    );
  }
}

/** The module's folder in Go's module cache (downloading it from the proxy if needed). */
async function moduleDir(module: string, version: string): Promise<string> {
  const { stdout } = await run('go', ['mod', 'download', '-json', `${module}@v${version}`], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return (JSON.parse(stdout) as { Dir: string }).Dir;
}

/** Copies out of the module cache, whose files are read-only, into files the cache's owner can delete again. */
async function copyWritable(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true });
  if (!(await stat(to)).isDirectory()) return chmod(to, 0o644);
  await chmod(to, 0o755);
  for (const entry of await readdir(to, { recursive: true, withFileTypes: true })) {
    await chmod(join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
  }
}

/**
 * Builds into a scratch folder and renames it into place, so an interrupted build leaves nothing half-made and two
 * rehearsals building at once cannot collide. `make` fills the scratch folder; `done` says whether a folder is
 * complete.
 */
async function buildOnce(
  target: string,
  label: string,
  done: (folder: string) => Promise<boolean>,
  make: (scratch: string) => Promise<void>,
  log: (line: string) => void,
): Promise<void> {
  if (await done(target)) return;
  await checkGo();
  await mkdir(cacheDir, { recursive: true });
  const scratch = await mkdtemp(join(cacheDir, 'build-'));
  const began = Date.now();
  log(`Building ${label} from the Go module proxy into ${target} (once; minutes on two cores) ...`);
  try {
    await make(scratch);
    await rename(scratch, target).catch(async (error: unknown) => {
      // Another rehearsal finished first; its build is as good as ours.
      if (!(await done(target))) throw error;
    });
    log(`Built ${label} in ${Math.round((Date.now() - began) / 1000)} s`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function goInstall(binDir: string, packages: string[]): Promise<void> {
  await run('go', ['install', ...packages], {
    env: { ...process.env, GOBIN: binDir, GOFLAGS: '-mod=mod' },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: unknown) => {
    throw commandFailed(`go install ${packages.join(' ')}`, error);
  });
}

export async function ensureTemporalServerBuild(
  version: string,
  log: (line: string) => void,
): Promise<TemporalServerBuild> {
  const folder = join(cacheDir, `server-${version}`);
  const build: TemporalServerBuild = {
    server: join(folder, 'temporal-server'),
    sqlToolDir: join(folder, 'tools'),
    schemaDir: join(folder, 'schema'),
  };
  const complete = async (at: string) =>
    (await isExecutable(join(at, 'temporal-server'))) &&
    (await isExecutable(join(at, 'tools', 'temporal-sql-tool')));
  await buildOnce(
    folder,
    `Temporal server ${version} and temporal-sql-tool`,
    complete,
    async (scratch) => {
      const bin = join(scratch, 'bin');
      await goInstall(bin, [
        `go.temporal.io/server/cmd/server@v${version}`,
        `go.temporal.io/server/cmd/tools/sql@v${version}`,
      ]);
      await rename(join(bin, 'server'), join(scratch, 'temporal-server'));
      await mkdir(join(scratch, 'tools'));
      await rename(join(bin, 'sql'), join(scratch, 'tools', 'temporal-sql-tool'));
      await rm(bin, { recursive: true });
      await copyWritable(
        join(await moduleDir('go.temporal.io/server', version), 'schema'),
        join(scratch, 'schema'),
      );
    },
    log,
  );
  return build;
}

export async function ensureUiServerBuild(
  version: string,
  log: (line: string) => void,
): Promise<UiServerBuild> {
  const folder = join(cacheDir, `ui-${version}`);
  const build: UiServerBuild = {
    server: join(folder, 'temporal-ui-server'),
    configTemplate: join(folder, 'docker.yaml'),
  };
  await buildOnce(
    folder,
    `Temporal Web UI server ${version}`,
    (at) => isExecutable(join(at, 'temporal-ui-server')),
    async (scratch) => {
      const bin = join(scratch, 'bin');
      await goInstall(bin, [`github.com/temporalio/ui-server/v2/cmd/server@v${version}`]);
      await rename(join(bin, 'server'), join(scratch, 'temporal-ui-server'));
      await rm(bin, { recursive: true });
      const module = await moduleDir('github.com/temporalio/ui-server/v2', version);
      await copyWritable(join(module, 'config', 'docker.yaml'), join(scratch, 'docker.yaml'));
    },
    log,
  );
  return build;
}
