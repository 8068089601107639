import type { CountryCode } from './country-code';
import type { CampaignHeader } from './header';
import { contactNumberColumn, readHeader } from './header';
import { normalisePhoneNumber } from './phone-number';
import type { ProblemList } from './problem-list';
import { SeenNumbers } from './seen-numbers';

export type DuplicatePolicy = 'error' | 'skip';

export interface RowCheckerOptions {
  problems: ProblemList;
  defaultCountry: CountryCode | undefined;
  onDuplicate: DuplicatePolicy;
  /** Whether to hand back clean rows (only needed when writing the clean file). */
  keepRows: boolean;
}

/** A row of empty or whitespace-only fields: what spreadsheets leave behind (`,,,`) and what an empty line parses as. */
function isBlank(fields: readonly string[]): boolean {
  return fields.every((field) => field.trim() === '');
}

/**
 * Checks the parsed records one at a time, in file order: the first non-blank record is the header, the rest
 * are rows to call. Reports problems to the ProblemList and returns each record as it should appear in the clean
 * file (header trimmed, `contact_number` in E.164), or null for a record that is left out. Once a problem has been
 * found it stops handing back rows, since no clean file will be written, but keeps checking to count problems.
 *
 * Line numbers: the parser is given LF-only text and keeps empty lines, so every physical line belongs to exactly
 * one record and a record starts on the line after the one the previous record ended on.
 */
export class RowChecker {
  rows = 0;
  skippedBlankLines = 0;
  skippedDuplicates = 0;
  /** Non-blank records after the header, good or bad: zero means there was nothing to call. */
  dataRecords = 0;
  header: CampaignHeader | undefined;
  headerLine: number | undefined;

  readonly #options: RowCheckerOptions;
  readonly #seen = new SeenNumbers();
  #lastLineRead = 0;

  constructor(options: RowCheckerOptions) {
    this.#options = options;
  }

  /** The line the record being parsed starts on; where to report a record the parser gave up on. */
  get nextRecordLine(): number {
    return this.#lastLineRead + 1;
  }

  /** `lineAtEnd` is the parser's line count after the record: the line the record ends on. */
  check(fields: string[], lineAtEnd: number): string[] | null {
    const line = this.#lastLineRead + 1;
    this.#lastLineRead = lineAtEnd;
    if (isBlank(fields)) {
      this.skippedBlankLines += lineAtEnd - line + 1;
      return null;
    }
    if (this.header === undefined) {
      this.header = readHeader(fields, line, (problem) => this.#options.problems.add(problem));
      this.headerLine = line;
      return this.#handBack(this.header.columns);
    }
    this.dataRecords += 1;
    return this.#checkRow(fields, line, this.header);
  }

  #checkRow(fields: string[], line: number, header: CampaignHeader): string[] | null {
    const { problems } = this.#options;
    const expected = header.columns.length;
    if (fields.length !== expected) {
      problems.add({
        line,
        message: `expected ${expected} values (one per column) but found ${fields.length}; check for a missing or extra comma, or a value with a comma that is not in double quotes`,
      });
      return null;
    }
    const index = header.contactNumberIndex;
    // Without a contact_number column (already reported) only the shape of the rows can be checked.
    if (index === undefined) return null;

    const written = fields[index] ?? '';
    const phoneNumber = normalisePhoneNumber(written, this.#options.defaultCountry);
    if (!phoneNumber.ok) {
      problems.add({ line, column: contactNumberColumn, value: written, message: phoneNumber.message });
      return null;
    }
    const firstLine = this.#seen.firstLineOrRemember(phoneNumber.e164, line);
    if (firstLine !== undefined) {
      if (this.#options.onDuplicate === 'skip') {
        this.skippedDuplicates += 1;
      } else {
        problems.add({
          line,
          column: contactNumberColumn,
          value: written,
          message: `${phoneNumber.e164} duplicates line ${firstLine}`,
        });
      }
      return null;
    }
    this.rows += 1;
    fields[index] = phoneNumber.e164;
    return this.#handBack(fields);
  }

  #handBack(fields: string[]): string[] | null {
    return this.#options.keepRows && this.#options.problems.total === 0 ? fields : null;
  }
}
