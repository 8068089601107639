import { CsvValidationError, describeProblem } from '../../src/csv';
import type { CsvProblem } from '../../src/csv';

const problems: CsvProblem[] = [
  { line: 14, column: 'contact_number', value: '98765', message: "'98765' is not a valid phone number" },
  { line: 20, message: 'expected 3 values (one per column) but found 2' },
];

describe('CsvValidationError', () => {
  it('has a fixed name that survives minification and subclass-free matching', () => {
    const error = new CsvValidationError(problems);

    expect(error.name).toBe('CsvValidationError');
    expect(error).toBeInstanceOf(Error);
  });

  it('reads as a list a person can act on, one problem per line', () => {
    expect(new CsvValidationError(problems).message).toBe(
      [
        'The campaign CSV has 2 problems; fix them and try again:',
        "line 14, contact_number: '98765' is not a valid phone number",
        'line 20: expected 3 values (one per column) but found 2',
      ].join('\n'),
    );
  });

  it('says how many more problems there are than it lists', () => {
    const error = new CsvValidationError(problems, 39);

    expect(error.totalProblems).toBe(39);
    expect(error.message.split('\n').at(-1)).toBe('…and 37 more problems');
  });

  it('carries plain data that survives JSON, as Temporal failure details do', () => {
    const error = new CsvValidationError(problems, 39);

    const roundTripped: unknown = JSON.parse(JSON.stringify(error.toDetails()));

    expect(roundTripped).toEqual({ problems, totalProblems: 39 });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'CsvValidationError',
      problems,
      totalProblems: 39,
    });
  });

  it('keeps its own copy of the problems', () => {
    const mine: CsvProblem[] = [{ line: 2, message: 'first' }];
    const error = new CsvValidationError(mine);
    mine.push({ line: 3, message: 'added later' });
    if (mine[0]) mine[0].message = 'changed later';

    expect(error.problems).toEqual([{ line: 2, message: 'first' }]);
  });
});

describe('describeProblem', () => {
  it('names the column when there is one', () => {
    expect(describeProblem({ line: 3, column: 'contact_number', message: 'm' })).toBe(
      'line 3, contact_number: m',
    );
    expect(describeProblem({ line: 1, message: 'm' })).toBe('line 1: m');
  });
});
