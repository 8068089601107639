import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateCampaignCsv } from '../../src/csv';
import { useTemporaryDirectory, validationErrorFrom } from './helpers';

const temporaryDirectory = useTemporaryDirectory();

const notUtf8 = "the file is not UTF-8; save it as 'CSV UTF-8'";

/** Writes the exact bytes given: strings as ASCII/UTF-8, numbers as raw bytes. */
async function fileOfBytes(name: string, ...parts: Array<string | number[]>): Promise<string> {
  const path = join(temporaryDirectory(), name);
  await writeFile(
    path,
    Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part)))),
  );
  return path;
}

const header = 'contact_number,name\n';
const goodRows = (from: number, count: number) =>
  Array.from({ length: count }, (_, index) => `+91${9_000_000_000 + from + index},Customer\n`).join('');

describe('files that are not UTF-8', () => {
  it('names the line of the first byte that is not UTF-8 (a Latin-1 é on line 7)', async () => {
    const inputPath = await fileOfBytes(
      'latin1.csv',
      header,
      goodRows(0, 5),
      '+919876543210,Jos',
      [0xe9],
      '\n',
    );

    const error = await validationErrorFrom(validateCampaignCsv(inputPath));

    expect(error.problems).toEqual([{ line: 7, message: notUtf8 }]);
    expect(error.message).toBe(`The campaign CSV has 1 problem; fix it and try again:\nline 7: ${notUtf8}`);
  });

  it('still reports the problems on the lines before it, in line order', async () => {
    const inputPath = await fileOfBytes(
      'latin1.csv',
      header,
      '98765,Asha\n',
      goodRows(0, 4),
      'x',
      [0xe9],
      ',y\n',
      goodRows(4, 2),
    );

    const error = await validationErrorFrom(validateCampaignCsv(inputPath));

    expect(error.problems.map(({ line, message }) => `${line}: ${message.slice(0, 7)}`)).toEqual([
      "2: '98765'",
      `7: ${notUtf8.slice(0, 7)}`,
    ]);
  });

  it('finds the bad byte past the first read chunk', async () => {
    const inputPath = await fileOfBytes(
      'late.csv',
      header,
      goodRows(0, 5_000),
      '+919876543210,Fran',
      [0xe7],
      'ois\n',
    );

    const error = await validationErrorFrom(validateCampaignCsv(inputPath));

    expect(error.problems).toEqual([{ line: 5_002, message: notUtf8 }]);
  });

  it('does not check the part of the bad line read before the bad byte (a number cut by a chunk edge)', async () => {
    const readChunkBytes = 64 * 1024; // fs.createReadStream's default highWaterMark
    const lines = header + goodRows(0, 2_800);
    const padding = readChunkBytes - 5 - lines.length - '+919876543299,\n'.length;
    const aligned = `${lines}+919876543299,${'x'.repeat(padding)}\n`;
    // The next chunk starts 5 characters into "+919876543210": a parser shown the first chunk's part of the line
    // would see a too-short number there.
    const inputPath = await fileOfBytes('edge.csv', aligned, '+919876543210,Jos', [0xe9], '\n');

    const error = await validationErrorFrom(validateCampaignCsv(inputPath));

    expect(error.problems).toEqual([{ line: 2_803, message: notUtf8 }]);
  });

  it('counts lines in a CRLF file and inside quoted values', async () => {
    const inputPath = await fileOfBytes(
      'windows-1252.csv',
      'contact_number,note\r\n+919876543210,"two\r\nlines"\r\n+919876543211,caf',
      [0xe9],
      '\r\n',
    );

    const error = await validationErrorFrom(validateCampaignCsv(inputPath));

    expect(error.problems).toEqual([{ line: 4, message: notUtf8 }]);
  });

  it('reports a bad byte inside a value that spans lines at its own line, not as an unclosed quote', async () => {
    const inputPath = await fileOfBytes(
      'quoted.csv',
      header,
      '+919876543210,"first line\nsecond ',
      [0xe9],
      '"\n',
    );

    const error = await validationErrorFrom(validateCampaignCsv(inputPath));

    expect(error.problems).toEqual([{ line: 3, message: notUtf8 }]);
  });

  it('reports a file that ends in the middle of a multi-byte character', async () => {
    // 0xE2 0x82 starts "€" (0xE2 0x82 0xAC) but the file ends before its last byte.
    const inputPath = await fileOfBytes('cut.csv', header, goodRows(0, 2), '+919876543212,', [0xe2, 0x82]);

    const error = await validationErrorFrom(validateCampaignCsv(inputPath));

    expect(error.problems).toEqual([{ line: 4, message: notUtf8 }]);
  });

  it('reports UTF-16 (what some tools call "Unicode text") on line 1', async () => {
    const inputPath = join(temporaryDirectory(), 'utf16.csv');
    await writeFile(inputPath, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(header, 'utf16le')]));

    const error = await validationErrorFrom(validateCampaignCsv(inputPath));

    expect(error.problems).toEqual([{ line: 1, message: notUtf8 }]);
  });
});

describe('UTF-8 that is fine', () => {
  it('keeps non-ASCII values, split across read chunks or not, exactly', async () => {
    const names = ['Chloé', 'Zoë', 'मीरा', 'José 😀'];
    const rows = Array.from(
      { length: 4_000 },
      (_, index) => `+91${9_000_000_000 + index},${names[index % names.length] ?? ''}\n`,
    );
    const inputPath = await fileOfBytes('unicode.csv', header, rows.join(''));
    const outputPath = join(temporaryDirectory(), 'clean.csv');

    const summary = await validateCampaignCsv(inputPath, { outputPath });

    expect(summary.rows).toBe(4_000);
    expect(await readFile(outputPath, 'utf8')).toBe(header + rows.join(''));
  });

  it('drops a byte-order mark only at the start of the file', async () => {
    const inputPath = await fileOfBytes('bom.csv', [0xef, 0xbb, 0xbf], header, '+919876543210,\uFEFFAsha\n');
    const outputPath = join(temporaryDirectory(), 'clean.csv');

    const summary = await validateCampaignCsv(inputPath, { outputPath });

    expect(summary.columns).toEqual(['contact_number', 'name']);
    expect(await readFile(outputPath)).toEqual(Buffer.from(`${header}+919876543210,\uFEFFAsha\n`));
  });
});
