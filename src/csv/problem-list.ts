import type { CsvProblem } from './errors';
import { shortenValue } from './shorten-value';

/**
 * Keeps the first `limit` problems and counts all of them, so a file with a million bad rows still fails with a
 * short message and bounded memory, while telling the user how much is left to fix.
 */
export class ProblemList {
  readonly #limit: number;
  readonly #kept: CsvProblem[] = [];
  #total = 0;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 0)
      throw new RangeError(`maxProblems must be an integer ≥ 0, got ${limit}`);
    this.#limit = limit;
  }

  add(problem: CsvProblem): void {
    this.#total += 1;
    if (this.#kept.length < this.#limit) {
      this.#kept.push(
        problem.value === undefined ? problem : { ...problem, value: shortenValue(problem.value) },
      );
    }
  }

  get total(): number {
    return this.#total;
  }

  get kept(): readonly CsvProblem[] {
    return this.#kept;
  }
}
