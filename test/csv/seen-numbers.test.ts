import { SeenNumbers } from '../../src/csv/seen-numbers';

describe('SeenNumbers', () => {
  it('gives the first line of every number seen before, across many doublings of the table', () => {
    const seen = new SeenNumbers();
    const count = 200_000;
    // Numbers that differ only in high digits, only in low digits, and the longest E.164 allows.
    const number = (index: number) =>
      index % 3 === 0
        ? `+91${9_000_000_000 + index}`
        : index % 3 === 1
          ? `+${index}0000000000`
          : `+${999_999_999_999_999 - index}`;
    const wrongLines: string[] = [];
    for (let index = 0; index < count; index++) {
      const firstLine = seen.firstLineOrRemember(number(index), index + 2);
      if (firstLine !== undefined) wrongLines.push(`${number(index)} seen before, on line ${firstLine}`);
    }
    for (let index = 0; index < count; index++) {
      const firstLine = seen.firstLineOrRemember(number(index), count + index + 2);
      if (firstLine !== index + 2) wrongLines.push(`${number(index)}: ${firstLine}`);
    }

    expect(wrongLines.slice(0, 10)).toEqual([]);
  });

  it('keeps line numbers beyond 32 bits', () => {
    const seen = new SeenNumbers();
    seen.firstLineOrRemember('+919876543210', 2 ** 33);

    expect(seen.firstLineOrRemember('+919876543210', 2 ** 33 + 1)).toBe(2 ** 33);
  });

  it.each([['+'], ['+1234567890123456789'], ['919876543210x']])('refuses %j, which is not E.164', (value) => {
    expect(() => new SeenNumbers().firstLineOrRemember(value, 2)).toThrow(RangeError);
  });
});
