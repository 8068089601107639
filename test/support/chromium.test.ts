import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPathVariable, ensureChromium, findChromium } from './chromium';

/**
 * Finding Chromium, with the paths injected: the machine's own Chromium is neither needed nor touched, and apt-get
 * never runs (the installer is a stand-in that puts an executable where Debian's package would).
 */

let dir: string;
let executable: string;
let absent: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chromium-lookup-'));
  executable = join(dir, 'chromium');
  await writeFile(executable, '#!/bin/sh\necho Chromium 1.2.3\n');
  await chmod(executable, 0o755);
  absent = join(dir, 'not-installed', 'chromium');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

test('BOLNA_CHROMIUM_PATH wins over the default path', async () => {
  const env = { [chromiumPathVariable]: executable };
  expect(await findChromium({ env, defaultPath: '/nowhere/chromium' })).toBe(executable);
});

test('a BOLNA_CHROMIUM_PATH that is not an executable file is an error, not a reason to fall back', async () => {
  const notExecutable = join(dir, 'readme.txt');
  await writeFile(notExecutable, 'not a browser');
  for (const path of [absent, notExecutable]) {
    await expect(
      findChromium({ env: { [chromiumPathVariable]: path }, defaultPath: executable }),
    ).rejects.toThrow(`BOLNA_CHROMIUM_PATH=${path} is not an executable file`);
  }
});

test('without an override, the default path when it is there, else nothing', async () => {
  expect(await findChromium({ env: {}, defaultPath: executable })).toBe(executable);
  expect(await findChromium({ env: {}, defaultPath: absent })).toBeUndefined();
});

test('a Chromium that is there is used as it is: nothing is installed', async () => {
  const install = jest.fn(() => Promise.resolve());
  expect(await ensureChromium({ env: {}, defaultPath: executable, isRoot: true, install })).toBe(executable);
  expect(install).not.toHaveBeenCalled();
});

test('none and not root: a clear error saying what to run, and no install attempted', async () => {
  const install = jest.fn(() => Promise.resolve());
  const ensured = ensureChromium({ env: {}, defaultPath: absent, isRoot: false, install });
  await expect(ensured).rejects.toThrow(
    "Chromium is not installed, and installing it needs root: run `sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends chromium'`, or set BOLNA_CHROMIUM_PATH",
  );
  expect(install).not.toHaveBeenCalled();
});

test('none and root: installs it, checks that it runs, and returns its path', async () => {
  const installed = join(dir, 'installed-by-apt', 'chromium');
  const install = jest.fn(async () => {
    await mkdirFor(installed);
    await writeFile(installed, '#!/bin/sh\necho Chromium 1.2.3\n');
    await chmod(installed, 0o755);
  });
  const lines: string[] = [];
  const found = await ensureChromium({
    env: {},
    defaultPath: installed,
    isRoot: true,
    install,
    log: (line) => lines.push(line),
  });
  expect(found).toBe(installed);
  expect(install).toHaveBeenCalledTimes(1);
  expect(lines).toEqual([
    "Installing Chromium from Debian's packages (apt-get update && apt-get install -y --no-install-recommends chromium) ...",
    `Installed ${installed}`,
  ]);
});

test('an install that leaves nothing runnable is an error', async () => {
  const broken = join(dir, 'broken', 'chromium');
  const install = async () => {
    await mkdirFor(broken);
    await writeFile(broken, '#!/bin/sh\nexit 127\n');
    await chmod(broken, 0o755);
  };
  await expect(ensureChromium({ env: {}, defaultPath: broken, isRoot: true, install })).rejects.toThrow(
    `The Chromium installed at ${broken} does not run on this machine`,
  );
  const nothing = join(dir, 'still-absent', 'chromium');
  await expect(
    ensureChromium({ env: {}, defaultPath: nothing, isRoot: true, install: () => Promise.resolve() }),
  ).rejects.toThrow(`finished, but there is still no ${nothing}`);
});

async function mkdirFor(file: string): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
}
