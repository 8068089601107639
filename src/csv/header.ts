import type { CsvProblem } from './errors';
import { shortenValue } from './shorten-value';

/** The one column Bolna requires: who to call. Every other column becomes a `{variable}` in the agent's prompt. */
export const contactNumberColumn = 'contact_number';

/** Names that differ from `contact_number` only by case or by spaces, dashes or underscores, e.g. "Contact Number". */
function looksLikeContactNumber(name: string): boolean {
  return name.toLowerCase().replace(/[\s_-]+/g, '') === 'contactnumber';
}

export interface CampaignHeader {
  /** Column names with surrounding whitespace removed, in file order. */
  columns: string[];
  /** Where `contact_number` is, or undefined when the header lacks it (already reported). */
  contactNumberIndex: number | undefined;
}

/**
 * Reads the header row, reporting what makes it unusable. Names are trimmed but otherwise matched exactly,
 * because Bolna's prompt variables are case-sensitive: `{Name}` is not `{name}`.
 */
export function readHeader(
  fields: readonly string[],
  line: number,
  report: (problem: CsvProblem) => void,
): CampaignHeader {
  const columns = fields.map((field) => field.trim());
  const firstPositionByName = new Map<string, number>();
  columns.forEach((name, index) => {
    const position = index + 1;
    if (name === '') {
      report({
        line,
        message: `column ${position} has no name; give every column a name in the first row, or delete the empty column (a comma at the end of the first row makes one)`,
      });
      return;
    }
    const firstPosition = firstPositionByName.get(name);
    if (firstPosition === undefined) {
      firstPositionByName.set(name, position);
      return;
    }
    report({
      line,
      column: name,
      message: `this column name is used twice (columns ${firstPosition} and ${position}); give each column its own name`,
    });
  });

  const contactNumberIndex = columns.indexOf(contactNumberColumn);
  if (contactNumberIndex === -1) {
    const lookalike = columns.find(looksLikeContactNumber);
    report({
      line,
      message:
        lookalike === undefined
          ? `there is no ${contactNumberColumn} column; the first row must name the columns and one of them must be ${contactNumberColumn} (found: ${describeColumns(columns)})`
          : `there is no ${contactNumberColumn} column; rename the column '${lookalike}' to exactly ${contactNumberColumn} (lower case, with an underscore)`,
    });
  }
  return { columns, contactNumberIndex: contactNumberIndex === -1 ? undefined : contactNumberIndex };
}

function describeColumns(columns: readonly string[]): string {
  const shown = 10;
  const listed = columns.slice(0, shown).map((name) => `'${shortenValue(name)}'`);
  if (columns.length > shown) listed.push(`and ${columns.length - shown} more`);
  return listed.join(', ');
}
