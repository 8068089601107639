import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isCountryCode, validateCampaignCsv } from '../../src/csv';
import type { CountryCode } from '../../src/csv';
import { fixture, useTemporaryDirectory, validationErrorFrom } from './helpers';

const temporaryDirectory = useTemporaryDirectory();

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('validateCampaignCsv on a good file', () => {
  it('summarises it: rows kept, trimmed columns, variables, blank lines skipped', async () => {
    const summary = await validateCampaignCsv(fixture('good-mixed-formats.csv'));

    expect(summary).toEqual({
      rows: 5,
      columns: ['contact_number', 'name', 'city', 'note'],
      variableColumns: ['name', 'city', 'note'],
      skippedBlankLines: 2,
      skippedDuplicates: 0,
      sourceSha256: sha256(await readFile(fixture('good-mixed-formats.csv'))),
    });
  });

  it('writes the clean file byte for byte: E.164 numbers, no blank rows, trimmed header, CSV quoting', async () => {
    const outputPath = join(temporaryDirectory(), 'clean.csv');

    const summary = await validateCampaignCsv(fixture('good-mixed-formats.csv'), { outputPath });

    const written = await readFile(outputPath);
    expect(written.toString('utf8')).toBe(await readFile(fixture('good-mixed-formats.expected.csv'), 'utf8'));
    expect(written.equals(await readFile(fixture('good-mixed-formats.expected.csv')))).toBe(true);
    expect(summary.outputPath).toBe(outputPath);
    expect(summary.sha256).toBe(sha256(written));
    expect(await readdir(temporaryDirectory())).toEqual(['clean.csv']);
  });

  it('writes the same bytes, hence the same hash, for a BOM + CRLF copy of the file', async () => {
    const original = await readFile(fixture('good-mixed-formats.csv'), 'utf8');
    const windowsPath = join(temporaryDirectory(), 'windows.csv');
    await writeFile(windowsPath, `\uFEFF${original.replace(/\n/g, '\r\n')}`);
    const outputPath = join(temporaryDirectory(), 'clean.csv');

    const summary = await validateCampaignCsv(windowsPath, { outputPath });

    const expected = await readFile(fixture('good-mixed-formats.expected.csv'));
    expect((await readFile(outputPath)).equals(expected)).toBe(true);
    expect(summary.sha256).toBe(sha256(expected));
    expect(summary.skippedBlankLines).toBe(2);
  });

  it('reads old Mac CR-only line endings as line breaks too', async () => {
    const original = await readFile(fixture('good-mixed-formats.csv'), 'utf8');
    const macPath = join(temporaryDirectory(), 'mac.csv');
    await writeFile(macPath, original.replace(/\n/g, '\r'));
    const outputPath = join(temporaryDirectory(), 'clean.csv');

    await validateCampaignCsv(macPath, { outputPath });

    expect(await readFile(outputPath, 'utf8')).toBe(
      await readFile(fixture('good-mixed-formats.expected.csv'), 'utf8'),
    );
  });

  it('accepts a last row without a line break and a file mixing LF and CRLF, leaving no CR in any value', async () => {
    const inputPath = join(temporaryDirectory(), 'mixed.csv');
    await writeFile(inputPath, 'contact_number,name\n+919876543210,Asha\r\n+919876543211,Bob');
    const outputPath = join(temporaryDirectory(), 'clean.csv');

    const summary = await validateCampaignCsv(inputPath, { outputPath });

    expect(summary.rows).toBe(2);
    expect(await readFile(outputPath, 'utf8')).toBe(
      'contact_number,name\n+919876543210,Asha\n+919876543211,Bob\n',
    );
  });

  it('reads numbers without + as national numbers of the default country', async () => {
    const outputPath = join(temporaryDirectory(), 'clean.csv');

    await validateCampaignCsv(fixture('national-numbers.csv'), { outputPath, defaultCountry: 'IN' });

    expect(await readFile(outputPath, 'utf8')).toBe(
      'contact_number,name\n+919876543210,Asha\n+912223456789,Office\n+6561234567,Singapore\n',
    );
  });

  it('with onDuplicate "skip", keeps the first of each number and counts the rest', async () => {
    const outputPath = join(temporaryDirectory(), 'clean.csv');

    const summary = await validateCampaignCsv(fixture('duplicates.csv'), {
      outputPath,
      defaultCountry: 'IN',
      onDuplicate: 'skip',
    });

    expect(summary).toMatchObject({ rows: 3, skippedDuplicates: 3, skippedBlankLines: 0 });
    expect(await readFile(outputPath, 'utf8')).toBe(
      'contact_number,name\n+919876543210,Asha\n+919876543211,Bob\n+919876543212,Chloé\n',
    );
  });

  it('keeps the lines of rows beyond the first read chunk (64 KiB) exact', async () => {
    const rows = Array.from(
      { length: 3_000 },
      (_, index) => `+91${9_000_000_000 + index},"Customer\n${index}"`,
    );
    rows[2_500] = '+91 98765,Too short';
    const inputPath = join(temporaryDirectory(), 'long.csv');
    await writeFile(inputPath, ['contact_number,name', ...rows, ''].join('\n'));

    const error = await validationErrorFrom(validateCampaignCsv(inputPath));

    // Row 2,501 starts after the header (line 1) and 2,500 rows of two lines each.
    expect(error.problems).toEqual([
      {
        line: 5_002,
        column: 'contact_number',
        value: '+91 98765',
        message: "'+91 98765' is not a valid phone number",
      },
    ]);
  });
});

describe('validateCampaignCsv on a bad file with an output path', () => {
  it('leaves no output and no temporary file behind', async () => {
    const outputPath = join(temporaryDirectory(), 'clean.csv');

    await validationErrorFrom(validateCampaignCsv(fixture('bad-phone-numbers.csv'), { outputPath }));

    expect(await readdir(temporaryDirectory())).toEqual([]);
  });

  it('leaves a clean file from an earlier run untouched', async () => {
    const outputPath = join(temporaryDirectory(), 'clean.csv');
    await writeFile(outputPath, 'earlier output\n');

    await validationErrorFrom(validateCampaignCsv(fixture('duplicates.csv'), { outputPath }));

    expect(await readFile(outputPath, 'utf8')).toBe('earlier output\n');
    expect(await readdir(temporaryDirectory())).toEqual(['clean.csv']);
  });

  it('leaves nothing behind when the file stops being UTF-8 halfway through', async () => {
    const inputPath = join(temporaryDirectory(), 'latin1.csv');
    await writeFile(
      inputPath,
      Buffer.from('contact_number,name\n+919876543210,Asha\n+919876543211,Jos\xe9\n', 'latin1'),
    );
    const outputPath = join(temporaryDirectory(), 'clean.csv');

    await validationErrorFrom(validateCampaignCsv(inputPath, { outputPath }));

    expect(await readdir(temporaryDirectory())).toEqual(['latin1.csv']);
  });

  it('rethrows a missing input file as it is, not as a validation error', async () => {
    const outputPath = join(temporaryDirectory(), 'clean.csv');

    await expect(
      validateCampaignCsv(join(temporaryDirectory(), 'missing.csv'), { outputPath }),
    ).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await readdir(temporaryDirectory())).toEqual([]);
  });
});

describe('validateCampaignCsv options', () => {
  it('refuses an unknown default country rather than calling every national number invalid', async () => {
    await expect(
      validateCampaignCsv(fixture('national-numbers.csv'), { defaultCountry: 'XX' as CountryCode }),
    ).rejects.toThrow(new RangeError("unknown default country 'XX'; use a two-letter code like IN"));
  });

  it('refuses a negative maxProblems', async () => {
    await expect(validateCampaignCsv(fixture('good-mixed-formats.csv'), { maxProblems: -1 })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('isCountryCode', () => {
  it('accepts the upper-case two-letter codes the metadata knows, only', () => {
    expect(['IN', 'US', 'GB', 'in', 'XX', 'IND', ''].map(isCountryCode)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
