import type { CsvError } from 'csv-parse';
import type { CsvProblem } from './errors';
import { maxRowCharacters } from './limits';

const quoteAdvice = 'put the whole value in double quotes and write each double quote inside it twice ("")';

/**
 * Turns the parser's fatal errors (it cannot go on after them) into a problem a person can fix.
 * `recordStartLine` is where the record being parsed began; `error.lines` is where the parser had got to.
 */
export function describeParseError(error: CsvError, recordStartLine: number): CsvProblem {
  const lineReached = typeof error.lines === 'number' ? error.lines : recordStartLine;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return {
        line: recordStartLine,
        message: `a value here starts with a double quote that is never closed; close it, or if the quote is part of the value, ${quoteAdvice}`,
      };
    case 'CSV_MAX_RECORD_SIZE':
      return {
        line: recordStartLine,
        message: `the row starting here is longer than ${maxRowCharacters.toLocaleString('en')} characters, usually because a double quote is never closed`,
      };
    case 'INVALID_OPENING_QUOTE':
      return {
        line: lineReached,
        message: `a double quote appears in the middle of a value; ${quoteAdvice}`,
      };
    case 'CSV_INVALID_CLOSING_QUOTE':
      return {
        line: lineReached,
        message: `a quoted value has more text after its closing quote; ${quoteAdvice}`,
      };
    default:
      return { line: lineReached, message: `the file cannot be read as CSV here (${error.message})` };
  }
}
