import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError } from 'csv-parse';
import { ownerOnly } from '../platform/file-modes';
import { BatchStringifier } from './batch-stringifier';
import { CheckingParser } from './checking-parser';
import { isCountryCode } from './country-code';
import type { CountryCode } from './country-code';
import { CsvValidationError } from './errors';
import { contactNumberColumn } from './header';
import { maxRowCharacters } from './limits';
import { describeParseError } from './parse-errors';
import { ProblemList } from './problem-list';
import type { DuplicatePolicy } from './row-checker';
import { RowChecker } from './row-checker';
import { Sha256PassThrough } from './sha256-pass-through';
import { workbookKind } from './spreadsheet-file';
import { Utf8TextStream } from './utf8-text-stream';

export interface ValidateCampaignCsvOptions {
  /** Where to write the clean CSV to upload to Bolna. Written only if the whole input is valid. */
  outputPath?: string;
  /** Country for numbers written without + and a country code. Without it such numbers are refused. */
  defaultCountry?: CountryCode;
  /** How many problems the error lists (all are counted). Default 20. */
  maxProblems?: number;
  /** A number already seen: a problem ('error', the default), or left out of the clean file and counted ('skip'). */
  onDuplicate?: DuplicatePolicy;
}

export interface CsvSummary {
  /** Data rows kept: the rows Bolna will call. */
  rows: number;
  /** The header's column names, trimmed, in file order. */
  columns: string[];
  /** Every column except contact_number: the `{variables}` the agent's prompt can use. */
  variableColumns: string[];
  skippedBlankLines: number;
  skippedDuplicates: number;
  /** Where the clean CSV was written, when `outputPath` was given. */
  outputPath?: string;
  /** SHA-256 (hex) of the clean CSV, when written: the same contacts give the same hash, for idempotency keys. */
  sha256?: string;
  /**
   * SHA-256 (hex) of the input file's bytes as they were read and validated, so that what is uploaded later can
   * be proven to be the file checked here (the starter sends it; the worker compares).
   */
  sourceSha256: string;
}

const defaultMaxProblems = 20;
/**
 * Clean CSV the writer may hold while earlier writes are on their way to disk. With the default (16 KiB) every
 * 64 KiB chunk filled it, and the whole pipeline waited for each write: a third of the time of validating 1M rows.
 */
const writeBufferBytes = 1024 * 1024;

/** A sink for the parser when no clean file is wanted (it then passes nothing on): the checking happens as it parses. */
function discardRows(): Writable {
  return new Writable({ objectMode: true, write: (_row, _encoding, done) => done() });
}

/** Runs the streams to the end. A CSV syntax error is a problem in the file, so it is returned; others are thrown. */
async function untilParsed(streams: Promise<void>): Promise<CsvError | undefined> {
  try {
    await streams;
    return undefined;
  } catch (error) {
    if (error instanceof CsvError) return error;
    throw error;
  }
}

/** Beside the output, so the final rename stays on one file system and is atomic. */
function temporaryPathFor(outputPath: string): string {
  return `${outputPath}.${randomBytes(6).toString('hex')}.tmp`;
}

/**
 * Checks a campaign CSV row by row without holding the file in memory, and, with `outputPath`, writes the
 * normalised copy to upload: same columns, `contact_number` in E.164, blank rows dropped, no BOM, UTF-8, LF line
 * endings, quoted where needed. The copy is written to a temporary file and renamed into place only when the
 * whole input is valid, so a bad input never leaves a partial file behind.
 *
 * @throws CsvValidationError listing what to fix, line by line.
 * @throws RangeError for an unknown `defaultCountry` or a negative `maxProblems` (mistakes of the caller, not the file).
 */
export async function validateCampaignCsv(
  inputPath: string,
  options: ValidateCampaignCsvOptions = {},
): Promise<CsvSummary> {
  const problems = new ProblemList(options.maxProblems ?? defaultMaxProblems);
  if (options.defaultCountry !== undefined && !isCountryCode(options.defaultCountry)) {
    throw new RangeError(
      `unknown default country '${String(options.defaultCountry)}'; use a two-letter code like IN`,
    );
  }
  const workbook = await workbookKind(inputPath);
  if (workbook !== undefined) {
    throw new CsvValidationError([
      { line: 1, message: `this is ${workbook}, not a CSV; export it with 'Save as: CSV UTF-8'` },
    ]);
  }
  const { outputPath } = options;
  const checker = new RowChecker({
    problems,
    defaultCountry: options.defaultCountry,
    onDuplicate: options.onDuplicate ?? 'error',
    keepRows: outputPath !== undefined,
  });
  const text = new Utf8TextStream();
  const parser = new CheckingParser(
    {
      delimiter: ',',
      record_delimiter: '\n', // Utf8TextStream has turned every line break into LF
      quote: '"',
      escape: '"',
      relax_column_count: true, // ragged rows are reported by the checker, with their line, not fatal
      skip_empty_lines: false, // keeps one record per physical line, which the line numbering relies on
      max_record_size: maxRowCharacters,
    },
    (fields, lineAtEnd) => checker.check(fields, lineAtEnd),
  );
  const source = createReadStream(inputPath);
  const temporaryPath = outputPath === undefined ? undefined : temporaryPathFor(outputPath);
  const hash = new Sha256PassThrough();
  const sourceHash = new Sha256PassThrough();

  try {
    // `flush` syncs the clean file before it is closed, so the rename never publishes a file whose data is lost.
    const sink =
      temporaryPath === undefined
        ? [discardRows()]
        : [
            new BatchStringifier(),
            hash,
            createWriteStream(temporaryPath, {
              flags: 'wx',
              flush: true,
              mode: ownerOnly,
              highWaterMark: writeBufferBytes,
            }),
          ];
    const parseError = await untilParsed(pipeline([source, sourceHash, text, parser, ...sink]));
    // Cutting the text at a bad byte can leave a quote open; then the real problem is the encoding.
    const causedByCut = text.invalidUtf8Line !== undefined && parseError?.code === 'CSV_QUOTE_NOT_CLOSED';
    if (parseError !== undefined && !causedByCut) {
      problems.add(describeParseError(parseError, checker.nextRecordLine));
    }
    addEndOfFileProblems(text, checker, problems, parseError === undefined);
    if (problems.total > 0) throw new CsvValidationError(problems.kept, problems.total);
    if (temporaryPath !== undefined && outputPath !== undefined) await rename(temporaryPath, outputPath);
  } catch (error) {
    if (temporaryPath !== undefined) await rm(temporaryPath, { force: true });
    throw error;
  }

  const columns = checker.header?.columns ?? [];
  return {
    rows: checker.rows,
    columns,
    variableColumns: columns.filter((name) => name !== contactNumberColumn),
    skippedBlankLines: checker.skippedBlankLines,
    skippedDuplicates: checker.skippedDuplicates,
    sourceSha256: sourceHash.digest(),
    ...(outputPath === undefined ? {} : { outputPath, sha256: hash.digest() }),
  };
}

/**
 * Problems only visible once reading stops: a byte that is not UTF-8 (reading stopped at its line), and, if the
 * whole file was read, a file with no header or no rows.
 */
function addEndOfFileProblems(
  text: Utf8TextStream,
  checker: RowChecker,
  problems: ProblemList,
  readToTheEnd: boolean,
): void {
  if (text.invalidUtf8Line !== undefined) {
    problems.add({ line: text.invalidUtf8Line, message: "the file is not UTF-8; save it as 'CSV UTF-8'" });
    return;
  }
  if (!readToTheEnd) return;
  if (checker.header === undefined) {
    problems.add({
      line: 1,
      message: `the file is empty; it needs a first row naming the columns (one of them ${contactNumberColumn}) and then one row per number to call`,
    });
  } else if (checker.dataRecords === 0) {
    problems.add({
      line: checker.headerLine ?? 1,
      message: 'there are no rows to call: the file has a header but no rows below it',
    });
  }
}
