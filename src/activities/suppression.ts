import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { CsvValidationError, isCountryCode } from '../csv';
import type { CsvProblem } from '../csv';
import { contactNumberColumn } from '../csv/header';
import { normalisePhoneNumber } from '../csv/phone-number';
import { displayUrl } from '../platform/display-url';
import { fetchCsvSource } from './csv-source';
import type { CsvSourcePolicy } from './csv-source';

/**
 * The do-not-call numbers of every list, in E.164: a list is a CSV (path or URL, read under the same rules as the
 * contact list) with a `contact_number` column, or a single column of numbers under any header. A number that
 * cannot be read is refused with its list, line and column named, rather than skipped: a skipped entry of a
 * do-not-call list is a person called against their wish.
 */
export async function readSuppressionLists(
  lists: readonly string[],
  folder: string,
  options: { csvSources: CsvSourcePolicy; defaultCountry?: string },
): Promise<Set<string>> {
  const numbers = new Set<string>();
  const defaultCountry =
    options.defaultCountry && isCountryCode(options.defaultCountry) ? options.defaultCountry : undefined;
  for (const [index, list] of lists.entries()) {
    const path = await fetchCsvSource(list, join(folder, `suppress-${index + 1}.csv`), options.csvSources);
    const problems: CsvProblem[] = [];
    let problemCount = 0;
    let column: string | undefined;
    let line = 1;
    const records = createReadStream(path).pipe(parse({ columns: true, skip_empty_lines: true, bom: true }));
    for await (const record of records as AsyncIterable<Record<string, string>>) {
      line += 1;
      column ??= numberColumn(Object.keys(record), list);
      const written = record[column] ?? '';
      const checked = normalisePhoneNumber(written, defaultCountry);
      if (checked.ok) {
        numbers.add(checked.e164);
      } else {
        problemCount += 1;
        if (problems.length < 20) {
          problems.push({
            line,
            column,
            message: `do-not-call list ${displayUrl(list)}: ${checked.message}`,
          });
        }
      }
    }
    if (problems.length > 0) throw new CsvValidationError(problems, problemCount);
  }
  return numbers;
}

function numberColumn(columns: readonly string[], list: string): string {
  if (columns.includes(contactNumberColumn)) return contactNumberColumn;
  const [only] = columns;
  if (columns.length === 1 && only !== undefined) return only;
  throw new CsvValidationError([
    {
      line: 1,
      message: `do-not-call list ${displayUrl(list)} needs a ${contactNumberColumn} column (or a single column of numbers); it has ${columns.join(', ')}`,
    },
  ]);
}
