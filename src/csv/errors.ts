import { failureTypes } from '../platform/failures';
/**
 * What is wrong with a campaign CSV, said so that the person who made the spreadsheet can fix it.
 * Everything here is plain data (strings and numbers) so that an activity can hand it to Temporal as the details
 * of an ApplicationFailure and a client can show it again on the other side.
 */

export interface CsvProblem {
  /** 1-based physical line in the file; the header is line 1. A row spanning lines is reported where it starts. */
  line: number;
  /** The column the problem is in, when it is about one field. */
  column?: string;
  /** The offending value as written in the file (shortened when very long). */
  value?: string;
  /** What is wrong and, where we can tell, how to fix it. */
  message: string;
}

/** The plain-data form of a CsvValidationError, e.g. for `ApplicationFailure` details. */
export interface CsvValidationDetails {
  problems: CsvProblem[];
  totalProblems: number;
}

/** "line 14, contact_number: '98765' is not a valid phone number" */
export function describeProblem(problem: CsvProblem): string {
  const where =
    problem.column === undefined ? `line ${problem.line}` : `line ${problem.line}, ${problem.column}`;
  return `${where}: ${problem.message}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function summarise(problems: readonly CsvProblem[], totalProblems: number): string {
  const lines = [
    `The campaign CSV has ${plural(totalProblems, 'problem')}; fix ${totalProblems === 1 ? 'it' : 'them'} and try again:`,
    ...problems.map(describeProblem),
  ];
  const unlisted = totalProblems - problems.length;
  if (unlisted > 0) lines.push(`…and ${unlisted} more ${unlisted === 1 ? 'problem' : 'problems'}`);
  return lines.join('\n');
}

/** The CSV cannot be used for a campaign. Not retryable: the same file fails the same way every time. */
export class CsvValidationError extends Error {
  override readonly name = failureTypes.CsvValidationError;
  /** The first problems in file order (at most `maxProblems` of them). */
  readonly problems: CsvProblem[];
  /** How many problems the file has in all, including those not listed. */
  readonly totalProblems: number;

  constructor(problems: readonly CsvProblem[], totalProblems: number = problems.length) {
    super(summarise(problems, totalProblems));
    this.problems = problems.map((problem) => ({ ...problem }));
    this.totalProblems = totalProblems;
  }

  toDetails(): CsvValidationDetails {
    return { problems: this.problems.map((problem) => ({ ...problem })), totalProblems: this.totalProblems };
  }
}
