/**
 * Finds or installs the headless Chromium the browser checks drive (test/browser/, through ./browser.ts): Debian's
 * `chromium` package, not a browser build of Playwright's own (its download host is not reachable from CI, and
 * Debian's is kept patched). Like the Temporal servers (./temporal-servers.ts), README, tests and CI all come
 * through here: jest's globalSetup installs it before any test file starts, so two browser test files never run
 * apt-get at once.
 *
 * Usage: `npm run browser:install` (scripts/chromium.ts) prints the path.
 * Override: BOLNA_CHROMIUM_PATH points at a Chromium you already have.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { isExecutable } from './is-executable';

const run = promisify(execFile);

export const chromiumPathVariable = 'BOLNA_CHROMIUM_PATH';
const debianChromiumPath = '/usr/bin/chromium';
const installCommand = 'apt-get update && apt-get install -y --no-install-recommends chromium';

export interface ChromiumLookup {
  env?: NodeJS.ProcessEnv;
  /** Where Debian's package puts it; tests point this at a path that does not exist. */
  defaultPath?: string;
}

export interface ChromiumInstall extends ChromiumLookup {
  log?: (line: string) => void;
  /** apt-get needs root; default: whether this process runs as root. */
  isRoot?: boolean;
  /** Installs the package; default: apt-get, as `installCommand` says. */
  install?: () => Promise<void>;
}

/**
 * The Chromium to launch: BOLNA_CHROMIUM_PATH when set (it must be an executable file: a wrong override is an
 * error, not a reason to fall back), else Debian's, else undefined.
 */
export async function findChromium({
  env = process.env,
  defaultPath = debianChromiumPath,
}: ChromiumLookup = {}): Promise<string | undefined> {
  const override = env[chromiumPathVariable];
  if (override) {
    if (!(await isExecutable(override))) {
      throw new Error(`${chromiumPathVariable}=${override} is not an executable file`);
    }
    return override;
  }
  return (await isExecutable(defaultPath)) ? defaultPath : undefined;
}

async function aptGetInstall(): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env, maxBuffer: 64 * 1024 * 1024 });
  await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Returns the path of a Chromium that runs here, installing Debian's package first when there is none. */
export async function ensureChromium({
  log = () => {},
  isRoot = process.getuid?.() === 0,
  install = aptGetInstall,
  ...lookup
}: ChromiumInstall = {}): Promise<string> {
  const found = await findChromium(lookup);
  if (found) return found;
  if (!isRoot) {
    throw new Error(
      `Chromium is not installed, and installing it needs root: run \`sudo sh -c '${installCommand}'\`, ` +
        `or set ${chromiumPathVariable} to a Chromium you have.`,
    );
  }
  log(`Installing Chromium from Debian's packages (${installCommand}) ...`);
  await install();
  const installed = await findChromium(lookup);
  if (!installed) {
    throw new Error(
      `${installCommand} finished, but there is still no ${lookup.defaultPath ?? debianChromiumPath}`,
    );
  }
  await run(installed, ['--headless', '--version'], { timeout: 30_000 }).catch((error: unknown) => {
    throw new Error(`The Chromium installed at ${installed} does not run on this machine`, { cause: error });
  });
  log(`Installed ${installed}`);
  return installed;
}
