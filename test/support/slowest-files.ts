import { relative } from 'node:path';

/**
 * A jest reporter that prints the ten slowest test files at the end of every run, so that a file grown slow is seen
 * in the run that made it so. jest.config.js registers it, after the default reporter, as slowest-files-reporter.js,
 * which loads this file. Only the parts of jest's results it reads are typed here: jest's types are not our
 * dependency.
 */

/** What it reads of one file's result (jest's `TestResult`). */
export interface FileResult {
  testFilePath: string;
  perfStats: { start: number; end: number };
}

/** The table of the ten slowest files (or all, if fewer), slowest first, in seconds, paths relative to `rootDir`. */
export function slowestFilesTable(results: readonly FileResult[], rootDir: string): string {
  const slowest = results
    .map((result) => ({
      file: relative(rootDir, result.testFilePath),
      seconds: Math.max(0, result.perfStats.end - result.perfStats.start) / 1000,
    }))
    .sort((a, b) => b.seconds - a.seconds || a.file.localeCompare(b.file))
    .slice(0, 10);
  if (slowest.length === 0) return '';
  const width = Math.max(...slowest.map(({ seconds }) => seconds.toFixed(1).length));
  const lines = slowest.map(({ file, seconds }) => `  ${seconds.toFixed(1).padStart(width)} s  ${file}`);
  return (
    [results.length >= 10 ? 'The ten slowest test files:' : 'The slowest test files:', ...lines].join('\n') +
    '\n'
  );
}

export class SlowestFilesReporter {
  readonly #rootDir: string;

  constructor(globalConfig: { rootDir: string }) {
    this.#rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts: unknown, results: { testResults: readonly FileResult[] }): void {
    const table = slowestFilesTable(results.testResults, this.#rootDir);
    if (table) process.stderr.write(`\n${table}`);
  }
}
