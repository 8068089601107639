import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateCampaignCsv } from '../../src/csv';
import { fixture, useTemporaryDirectory, validationErrorFrom } from './helpers';

const temporaryDirectory = useTemporaryDirectory();

const retype = 'format the column as text and type the numbers again with + and the country code';

describe('problems with phone numbers', () => {
  it('names the line, column and value of each bad number, with a hint where one helps', async () => {
    const error = await validationErrorFrom(
      validateCampaignCsv(fixture('bad-phone-numbers.csv'), { defaultCountry: 'IN' }),
    );

    expect(error.problems).toEqual([
      { line: 3, column: 'contact_number', value: '98765', message: "'98765' is not a valid phone number" },
      { line: 4, column: 'contact_number', value: '', message: 'the phone number is empty' },
      {
        line: 5,
        column: 'contact_number',
        value: '9.19876543E+11',
        message: `'9.19876543E+11' looks like a spreadsheet turned the number into scientific notation; ${retype}`,
      },
      {
        line: 6,
        column: 'contact_number',
        value: '919876543210.0',
        message: `'919876543210.0' ends in '.0', which a spreadsheet adds when it stores the number as a decimal; ${retype}`,
      },
      {
        line: 7,
        column: 'contact_number',
        value: '+91 98765 4321O',
        message:
          "'+91 98765 4321O' is not a valid phone number; use only digits, spaces, dashes, dots, parentheses and a leading +",
      },
      {
        line: 8,
        column: 'contact_number',
        value: '+91 98765\n43210',
        message:
          "'+91 98765\n43210' is not a valid phone number; use only digits, spaces, dashes, dots, parentheses and a leading +",
      },
      {
        line: 10,
        column: 'contact_number',
        value: '+1 555 0100',
        message: "'+1 555 0100' is not a valid phone number",
      },
    ]);
    expect(error.totalProblems).toBe(7);
    expect(error.message.split('\n').slice(0, 3)).toEqual([
      'The campaign CSV has 7 problems; fix them and try again:',
      "line 3, contact_number: '98765' is not a valid phone number",
      'line 4, contact_number: the phone number is empty',
    ]);
  });

  it('refuses numbers without + when there is no default country, and says to add the country code', async () => {
    const error = await validationErrorFrom(validateCampaignCsv(fixture('national-numbers.csv')));

    expect(error.problems.map(({ line, message }) => ({ line, message }))).toEqual([
      {
        line: 2,
        message:
          "'98765 43210' needs a country code; write it with + and the country code, like +91 98765 43210",
      },
      {
        line: 3,
        message:
          "'022 2345 6789' needs a country code; write it with + and the country code, like +91 98765 43210",
      },
    ]);
  });

  it('reports each repeat of a number, however it is written, against the line it first appeared on', async () => {
    const error = await validationErrorFrom(
      validateCampaignCsv(fixture('duplicates.csv'), { defaultCountry: 'IN' }),
    );

    expect(error.problems).toEqual([
      {
        line: 4,
        column: 'contact_number',
        value: '+91 98765 43210',
        message: '+919876543210 duplicates line 2',
      },
      { line: 5, column: 'contact_number', value: '09876543211', message: '+919876543211 duplicates line 3' },
      {
        line: 6,
        column: 'contact_number',
        value: '+91-98765-43210',
        message: '+919876543210 duplicates line 2',
      },
    ]);
    expect(error.message).toContain('line 4, contact_number: +919876543210 duplicates line 2');
  });
});

describe('problems with the shape of rows', () => {
  it('reports rows with too few or too many values at the line they start on', async () => {
    const error = await validationErrorFrom(validateCampaignCsv(fixture('ragged-rows.csv')));

    const advice = 'check for a missing or extra comma, or a value with a comma that is not in double quotes';
    expect(error.problems).toEqual([
      { line: 3, message: `expected 3 values (one per column) but found 2; ${advice}` },
      { line: 4, message: `expected 3 values (one per column) but found 4; ${advice}` },
      { line: 5, message: `expected 3 values (one per column) but found 4; ${advice}` },
    ]);
  });

  it('reports a quote that is never closed at the line where its row starts', async () => {
    const error = await validationErrorFrom(validateCampaignCsv(fixture('unclosed-quote.csv')));

    expect(error.problems).toEqual([
      {
        line: 3,
        message:
          'a value here starts with a double quote that is never closed; close it, or if the quote is part of the value, put the whole value in double quotes and write each double quote inside it twice ("")',
      },
    ]);
  });

  it('reports a double quote in the middle of an unquoted value', async () => {
    const error = await validationErrorFrom(validateCampaignCsv(fixture('stray-quote.csv')));

    expect(error.problems).toEqual([
      {
        line: 3,
        message:
          'a double quote appears in the middle of a value; put the whole value in double quotes and write each double quote inside it twice ("")',
      },
    ]);
  });

  it('reports text after a closing quote', async () => {
    const error = await validationErrorFrom(validateCampaignCsv(fixture('text-after-closing-quote.csv')));

    expect(error.problems).toEqual([
      {
        line: 3,
        message:
          'a quoted value has more text after its closing quote; put the whole value in double quotes and write each double quote inside it twice ("")',
      },
    ]);
  });

  it('keeps the problems found before the parser had to stop', async () => {
    const inputPath = join(temporaryDirectory(), 'problems-then-open-quote.csv');
    await writeFile(inputPath, 'contact_number,name\n98765,Asha\n+919876543211,"Bob\n+919876543212,Chloé\n');

    const error = await validationErrorFrom(validateCampaignCsv(inputPath));

    expect(error.problems.map(({ line }) => line)).toEqual([2, 3]);
    expect(error.problems[1]?.message).toMatch(
      /^a value here starts with a double quote that is never closed/,
    );
  });

  it('stops a never-closed quote from buffering the rest of a big file', async () => {
    const inputPath = join(temporaryDirectory(), 'runaway-quote.csv');
    const restOfFile = '+919876543211,Bob\n'.repeat(60_000); // ~1.1 million characters inside the open quote
    await writeFile(inputPath, `contact_number,name\n+919876543210,"Asha\n${restOfFile}`);

    const error = await validationErrorFrom(validateCampaignCsv(inputPath));

    expect(error.problems).toEqual([
      {
        line: 2,
        message:
          'the row starting here is longer than 1,000,000 characters, usually because a double quote is never closed',
      },
    ]);
  });
});

describe('problems with the header', () => {
  it('says when contact_number is only missing because of case or spaces', async () => {
    const error = await validationErrorFrom(validateCampaignCsv(fixture('header-lookalike.csv')));

    expect(error.problems).toEqual([
      {
        line: 1,
        message:
          "there is no contact_number column; rename the column 'Contact Number' to exactly contact_number (lower case, with an underscore)",
      },
    ]);
  });

  it('lists the columns it found when none looks like contact_number', async () => {
    const error = await validationErrorFrom(
      validateCampaignCsv(fixture('header-without-contact-number.csv')),
    );

    expect(error.problems).toEqual([
      {
        line: 1,
        message:
          "there is no contact_number column; the first row must name the columns and one of them must be contact_number (found: 'phone', 'name')",
      },
    ]);
  });

  it('reports empty and repeated column names', async () => {
    const error = await validationErrorFrom(
      validateCampaignCsv(fixture('header-empty-and-duplicate-names.csv')),
    );

    expect(error.problems).toEqual([
      {
        line: 1,
        message:
          'column 3 has no name; give every column a name in the first row, or delete the empty column (a comma at the end of the first row makes one)',
      },
      {
        line: 1,
        column: 'name',
        message: 'this column name is used twice (columns 2 and 4); give each column its own name',
      },
    ]);
  });

  it('reports the empty column a trailing comma makes', async () => {
    const error = await validationErrorFrom(validateCampaignCsv(fixture('header-trailing-comma.csv')));

    expect(error.problems.map(({ line, message }) => `${line}: ${message.slice(0, 20)}`)).toEqual([
      '1: column 3 has no name',
    ]);
  });

  it('still checks the rows when the header lacks contact_number, as far as it can', async () => {
    const inputPath = join(temporaryDirectory(), 'no-contact-number-and-ragged.csv');
    await writeFile(inputPath, 'phone,name\n+919876543210,Asha\n+919876543211\n');

    const error = await validationErrorFrom(validateCampaignCsv(inputPath));

    expect(error.problems.map(({ line }) => line)).toEqual([1, 3]);
  });

  it('reports the header at its real line when blank lines come before it', async () => {
    const inputPath = join(temporaryDirectory(), 'blank-lines-first.csv');
    await writeFile(inputPath, '\n,\nphone,name\n+919876543210,Asha\n');

    const error = await validationErrorFrom(validateCampaignCsv(inputPath));

    expect(error.problems.map(({ line }) => line)).toEqual([3]);
  });
});

describe('files with nothing to call', () => {
  it.each([
    ['a 0-byte file', 'empty.csv'],
    ['a file of whitespace and blank lines', 'whitespace-only.csv'],
  ])('says %s is empty', async (_description, name) => {
    const error = await validationErrorFrom(validateCampaignCsv(fixture(name)));

    expect(error.problems).toEqual([
      {
        line: 1,
        message:
          'the file is empty; it needs a first row naming the columns (one of them contact_number) and then one row per number to call',
      },
    ]);
  });

  it('says a file holding only a byte-order mark is empty', async () => {
    const inputPath = join(temporaryDirectory(), 'bom-only.csv');
    await writeFile(inputPath, Buffer.from([0xef, 0xbb, 0xbf]));

    const error = await validationErrorFrom(validateCampaignCsv(inputPath));

    expect(error.problems.map(({ message }) => message.slice(0, 18))).toEqual(['the file is empty;']);
  });

  it.each([['header-only.csv'], ['header-and-blank-lines.csv']])(
    'says %s has no rows to call',
    async (name) => {
      const error = await validationErrorFrom(validateCampaignCsv(fixture(name)));

      expect(error.problems).toEqual([
        { line: 1, message: 'there are no rows to call: the file has a header but no rows below it' },
      ]);
    },
  );
});

describe('how many problems are listed', () => {
  async function fileWithBadRows(count: number): Promise<string> {
    const inputPath = join(temporaryDirectory(), `bad-${count}.csv`);
    const rows = Array.from({ length: count }, (_, index) => `${1000 + index},Customer ${index}`);
    await writeFile(inputPath, ['contact_number,name', ...rows, ''].join('\n'));
    return inputPath;
  }

  it('lists the first 20 problems by default and counts the rest', async () => {
    const error = await validationErrorFrom(validateCampaignCsv(await fileWithBadRows(57)));

    expect(error.problems).toHaveLength(20);
    expect(error.problems[19]?.line).toBe(21);
    expect(error.totalProblems).toBe(57);
    const messageLines = error.message.split('\n');
    expect(messageLines).toHaveLength(1 + 20 + 1);
    expect(messageLines[0]).toBe('The campaign CSV has 57 problems; fix them and try again:');
    expect(messageLines[20]).toBe(
      "line 21, contact_number: '1019' needs a country code; write it with + and the country code, like +91 98765 43210",
    );
    expect(messageLines[21]).toBe('…and 37 more problems');
  });

  it('lists as many as maxProblems asks for', async () => {
    const error = await validationErrorFrom(
      validateCampaignCsv(await fileWithBadRows(2), { maxProblems: 1 }),
    );

    expect(error.problems.map(({ line }) => line)).toEqual([2]);
    expect(error.totalProblems).toBe(2);
    expect(error.message.split('\n').at(-1)).toBe('…and 1 more problem');
  });

  it('does not add a "more problems" line when all are listed', async () => {
    const error = await validationErrorFrom(
      validateCampaignCsv(await fileWithBadRows(3), { maxProblems: 3 }),
    );

    expect(error.message.split('\n')).toHaveLength(4);
    expect(error.message).not.toContain('more problem');
  });
});

describe('a workbook instead of a CSV', () => {
  it.each([
    ['.xlsx', '504b03041400060008000000210062ee9d68'],
    ['.xls', 'd0cf11e0a1b11ae1000000000000000000'],
  ])('says a %s file is a workbook to export, instead of parsing its binary', async (_kind, hex) => {
    const path = join(temporaryDirectory(), 'contacts.csv');
    await writeFile(path, Buffer.from(hex, 'hex'));
    const error = await validationErrorFrom(validateCampaignCsv(path));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]!.line).toBe(1);
    expect(error.problems[0]!.message).toMatch(/workbook.*CSV UTF-8/);
  });

  it('a CSV that merely starts with the letters PK is still read as a CSV', async () => {
    const path = join(temporaryDirectory(), 'contacts.csv');
    await writeFile(path, 'PK,contact_number\n1,+919876543210\n');
    await expect(validateCampaignCsv(path)).resolves.toMatchObject({ rows: 1 });
  });
});
