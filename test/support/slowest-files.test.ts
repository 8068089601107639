import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SlowestFilesReporter, slowestFilesTable } from './slowest-files';
import type { FileResult } from './slowest-files';

const rootDir = '/repo';

/** A file that ran from `start` (s) for `seconds`. */
const file = (name: string, seconds: number, start = 1_000): FileResult => ({
  testFilePath: join(rootDir, 'test', name),
  perfStats: { start: start * 1000, end: (start + seconds) * 1000 },
});

// Twelve files in no order: the table keeps the ten slowest.
const results = [
  file('a.test.ts', 3.2),
  file('b.test.ts', 0.4),
  file('e2e/soak.test.ts', 313.04),
  file('c.test.ts', 12),
  file('d.test.ts', 0.05),
  file('e2e/bench.test.ts', 109.46, 5),
  file('e.test.ts', 7.75),
  file('f.test.ts', 1),
  file('g.test.ts', 2),
  file('h.test.ts', 31),
  file('i.test.ts', 0.9),
  file('j.test.ts', 5),
];

const expectedTable = [
  'The ten slowest test files:',
  '  313.0 s  test/e2e/soak.test.ts',
  '  109.5 s  test/e2e/bench.test.ts',
  '   31.0 s  test/h.test.ts',
  '   12.0 s  test/c.test.ts',
  '    7.8 s  test/e.test.ts',
  '    5.0 s  test/j.test.ts',
  '    3.2 s  test/a.test.ts',
  '    2.0 s  test/g.test.ts',
  '    1.0 s  test/f.test.ts',
  '    0.9 s  test/i.test.ts',
  '',
].join('\n');

test('the ten slowest files, slowest first, in seconds, relative to the root', () => {
  expect(slowestFilesTable(results, rootDir)).toBe(expectedTable);
});

test('fewer than ten files are all listed; none prints nothing', () => {
  expect(slowestFilesTable([file('b.test.ts', 0.4), file('a.test.ts', 3.2)], rootDir)).toBe(
    'The slowest test files:\n  3.2 s  test/a.test.ts\n  0.4 s  test/b.test.ts\n',
  );
  expect(slowestFilesTable([], rootDir)).toBe('');
});

test('the reporter prints the table to stderr when the run completes', () => {
  const written: string[] = [];
  const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    new SlowestFilesReporter({ rootDir }).onRunComplete(new Set(), { testResults: results });
  } finally {
    write.mockRestore();
  }
  expect(written.join('')).toBe(`\n${expectedTable}`);
});

test('jest.config.js registers it after the default reporter, through a loader node can require as jest does', () => {
  // jest requires its config and reporters with node's require, untransformed: so does this child process.
  const script = `console.log(JSON.stringify(require(${JSON.stringify(join(__dirname, '..', '..', 'jest.config.js'))}).reporters));
    const Reporter = require(${JSON.stringify(join(__dirname, 'slowest-files-reporter.js'))});
    new Reporter({ rootDir: ${JSON.stringify(rootDir)} }).onRunComplete(new Set(), { testResults: ${JSON.stringify(results)} });`;
  const { stdout, stderr } = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(JSON.parse(stdout)).toEqual(['default', '<rootDir>/test/support/slowest-files-reporter.js']);
  expect(stderr).toBe(`\n${expectedTable}`);
});
