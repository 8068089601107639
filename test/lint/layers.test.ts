import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * The layer rule in eslint.config.mjs, run on real files of src/ with one import added, as a change would add it:
 * an import from a higher layer fails, one from the same layer or below passes.
 */
const root = resolve(__dirname, '..', '..');

const layerRule = 'import-x/no-restricted-paths';

interface Change {
  file: string;
  addedImport: string;
}
interface LintMessage {
  message: string;
}

/** `source` with `addedImport` at its top: below a `#!` line, which must stay first for the file to parse. */
function withImport(source: string, addedImport: string): string {
  const [, shebang = '', rest = source] = /^(#![^\n]*\n)?([\s\S]*)$/.exec(source) ?? [];
  return `${shebang}${addedImport}\nvoid added;\n${rest}`;
}

/**
 * The layer rule's messages for each file with its import added at the top, linted in one ESLint process. A
 * parsing error is among them, so a text that does not parse fails the test instead of passing for want of a check.
 */
async function layerProblems(changes: readonly Change[]): Promise<string[][]> {
  const files = await Promise.all(
    changes.map(async ({ file, addedImport }) => ({
      filePath: resolve(root, file),
      text: withImport(await readFile(resolve(root, file), 'utf8'), addedImport),
    })),
  );
  const output = await new Promise<string>((done, fail) => {
    const child = execFile(
      process.execPath,
      [resolve(root, 'test/support/lint-texts.mjs'), layerRule],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error ? fail(new Error(`ESLint failed: ${stderr}`, { cause: error })) : done(stdout),
    );
    child.stdin?.end(JSON.stringify(files));
  });
  return (JSON.parse(output) as LintMessage[][]).map((messages) =>
    messages.map((message) => message.message),
  );
}

const upward: [file: string, addedImport: string, layer: string][] = [
  ['src/platform/clock.ts', "import { loadConfig as added } from '../config';", 'platform'],
  [
    'src/bolna/client.ts',
    "import { heartbeat as added } from '../activities/heartbeat';",
    'adapters and domain',
  ],
  ['src/store/results-store.ts', "import type { Config as added } from '../config';", 'adapters and domain'],
  [
    'src/workflows/definitions.ts',
    "import { csvForRun as added } from '../outreach/csv-for-run';",
    'workflow contract',
  ],
  [
    'src/activities/create-batch.ts',
    "import { batchCampaign as added } from '../workflows/batch-campaign';",
    'activities',
  ],
  ['src/campaigns/start.ts', "import { runCli as added } from '../cli';", 'library'],
  ['src/temporal/worker-group.ts', "import { main as added } from '../worker';", 'temporal'],
];
const downward: [file: string, addedImport: string][] = [
  ['src/activities/create-batch.ts', "import { campaignKey as added } from '../workflows/campaign-key';"],
  [
    'src/workflows/batch-campaign.ts',
    "import { bolnaScheduleRules as added } from '../bolna/schedule-time';",
  ],
  ['src/cli/index.ts', "import { loadConfig as added } from '../config';"],
  ['src/worker.ts', "import { runCli as added } from './cli';"],
];

let problems: string[][];
beforeAll(async () => {
  problems = await layerProblems(
    [...upward, ...downward].map(([file, addedImport]) => ({ file, addedImport })),
  );
});

test.each(upward.map((change, index) => [...change, index] as const))(
  '%s may not import from a higher layer: %s',
  (_file, _addedImport, layer, index) => {
    expect(problems[index]).toEqual([expect.stringContaining(`The ${layer} layer sits below`)]);
  },
);

test.each(downward.map((change, index) => [...change, upward.length + index] as const))(
  '%s may import from its own layer or below: %s',
  (_file, _addedImport, index) => {
    expect(problems[index]).toEqual([]);
  },
);
