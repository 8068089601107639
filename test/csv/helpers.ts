import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvValidationError } from '../../src/csv';

export const fixture = (name: string): string => join(__dirname, '..', 'fixtures', 'csv', name);

/** Awaits `work` and returns the CsvValidationError it rejects with; fails the test if it resolves or throws another error. */
export async function validationErrorFrom(work: Promise<unknown>): Promise<CsvValidationError> {
  const outcome = await work.then(
    (value: unknown) => ({ resolvedWith: value }),
    (error: unknown) => ({ rejectedWith: error }),
  );
  if (!('rejectedWith' in outcome)) {
    throw new Error(
      `expected a CsvValidationError, but it succeeded with ${JSON.stringify(outcome.resolvedWith)}`,
    );
  }
  if (!(outcome.rejectedWith instanceof CsvValidationError)) throw outcome.rejectedWith;
  return outcome.rejectedWith;
}

/** A fresh temporary folder per test, removed afterwards. */
export function useTemporaryDirectory(): () => string {
  let directory: string | undefined;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'csv-test-'));
  });
  afterEach(async () => {
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
    directory = undefined;
  });
  return () => {
    if (directory === undefined) throw new Error('the temporary directory only exists during a test');
    return directory;
  };
}
