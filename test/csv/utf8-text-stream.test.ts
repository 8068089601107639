import { Readable } from 'node:stream';
import { Utf8TextStream } from '../../src/csv/utf8-text-stream';

/** Feeds `chunks` through a Utf8TextStream exactly as split, and returns what came out. */
async function passThrough(
  chunks: Array<string | number[]>,
): Promise<{ text: string; invalidUtf8Line: number | undefined }> {
  const stream = new Utf8TextStream();
  const output: Buffer[] = [];
  const buffers = chunks.map((chunk) =>
    typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk),
  );
  const source = Readable.from(buffers, { objectMode: false });
  for await (const piece of source.pipe(stream)) output.push(piece as Buffer);
  return { text: Buffer.concat(output).toString('utf8'), invalidUtf8Line: stream.invalidUtf8Line };
}

describe('Utf8TextStream', () => {
  it('turns CRLF and lone CR into LF, including a CRLF split between chunks', async () => {
    const result = await passThrough(['a\r', '\nb\rc\r\n', 'd\r', 'e\r']);

    expect(result).toEqual({ text: 'a\nb\nc\nd\ne\n', invalidUtf8Line: undefined });
  });

  it('decodes a character whose bytes are split between chunks', async () => {
    const euro = [0xe2, 0x82, 0xac];

    const result = await passThrough([[0x41, euro[0] ?? 0], [euro[1] ?? 0], [euro[2] ?? 0, 0x42]]);

    expect(result.text).toBe('A€B');
  });

  it('drops a leading byte-order mark, also when its bytes arrive one by one', async () => {
    const result = await passThrough([[0xef], [0xbb], [0xbf], 'a,b\n']);

    expect(result.text).toBe('a,b\n');
  });

  it('stops before the line holding a bad byte and records that line', async () => {
    const result = await passThrough(['one\r\ntwo\n', 'thr', [0xe9], 'e\nfour\n', 'five\n']);

    expect(result).toEqual({ text: 'one\ntwo\n', invalidUtf8Line: 3 });
  });

  it('counts a CR held back at a chunk end as a line break when the next chunk is bad', async () => {
    const result = await passThrough(['one\r', [0xff], 'two\n']);

    expect(result).toEqual({ text: 'one\n', invalidUtf8Line: 2 });
  });

  it('finds a bad continuation of a character started in the previous chunk', async () => {
    // 0xC3 expects one continuation byte (0x80–0xBF); "(" is not one.
    const result = await passThrough(['a\nb', [0xc3], '(\n']);

    expect(result).toEqual({ text: 'a\n', invalidUtf8Line: 2 });
  });

  it('rejects overlong encodings and surrogates, as the platform decoder does', async () => {
    expect((await passThrough(['ok\n', [0xc0, 0xaf], '\n'])).invalidUtf8Line).toBe(2);
    expect((await passThrough(['ok\nok\n', [0xed, 0xa0, 0x80]])).invalidUtf8Line).toBe(3);
  });

  it('records the last line when the input ends inside a character, and holds that line back', async () => {
    const result = await passThrough(['a\nb', [0xf0, 0x9f]]);

    expect(result).toEqual({ text: 'a\n', invalidUtf8Line: 2 });
  });

  it('passes on a last line without a line break when the input is valid', async () => {
    const result = await passThrough(['a\nb', 'c']);

    expect(result).toEqual({ text: 'a\nbc', invalidUtf8Line: undefined });
  });
});
