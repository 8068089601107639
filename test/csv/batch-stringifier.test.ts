import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { stringify } from 'csv-stringify/sync';
import { BatchStringifier } from '../../src/csv/batch-stringifier';

const awkwardValues = [
  '',
  ' ',
  'plain',
  '  spaced  ',
  'a,b',
  ',',
  '"',
  '""',
  'say "hi"',
  '"quoted"',
  'line\nbreak',
  '\n',
  'cr\rhere',
  'crlf\r\nhere',
  '=1+2',
  '+919876543210',
  '-5',
  '\ttab',
  "it's",
  'ü ह 名 😀',
  '#comment',
  ';semicolon;',
];

/** Rows of every awkward value in every position, plus one-value and empty-valued rows. */
function awkwardRows(): string[][] {
  const rows: string[][] = [];
  for (const first of awkwardValues) {
    for (const second of awkwardValues) rows.push([first, second, 'tail']);
    rows.push([first]);
  }
  rows.push(['', '', ''], ['x', '', '']);
  return rows;
}

async function stringifyInBatches(rows: string[][], batchSize: number): Promise<string> {
  const batches: string[][][] = [];
  for (let start = 0; start < rows.length; start += batchSize)
    batches.push(rows.slice(start, start + batchSize));
  return text(Readable.from(batches).pipe(new BatchStringifier()));
}

describe('BatchStringifier', () => {
  it('writes exactly what csv-stringify writes with its default options', async () => {
    const rows = awkwardRows();

    expect(await stringifyInBatches(rows, 7)).toBe(stringify(rows));
  });

  it('writes every row once, in order, whatever the batch and chunk sizes', async () => {
    const rows = Array.from({ length: 5_000 }, (_, index) => [
      `+91${9_000_000_000 + index}`,
      `name "${index}", x`,
    ]);

    expect(await stringifyInBatches(rows, 64)).toBe(stringify(rows));
    expect(await stringifyInBatches(rows, 5_000)).toBe(stringify(rows));
  });
});
