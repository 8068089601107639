import examples from 'libphonenumber-js/examples.mobile.json';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import metadata from 'libphonenumber-js/metadata.max.json';
import { validInternationalNumber } from '../../src/csv/international-number-fast-path';
import { normalisePhoneNumber } from '../../src/csv/phone-number';
import type { PhoneNumberCheck } from '../../src/csv/phone-number';

/** What the library alone says of `written` (the slow path of normalisePhoneNumber, for input that passed its checks). */
function libraryCheck(written: string, defaultCountry?: CountryCode): PhoneNumberCheck {
  const value = written.trim();
  const parsed = parsePhoneNumberFromString(value, {
    ...(defaultCountry ? { defaultCountry } : {}),
    extract: false,
  });
  return parsed?.isValid() === true
    ? { ok: true, e164: parsed.number }
    : { ok: false, message: `'${value}' is not a valid phone number` };
}

/** A small deterministic generator, so a failure can be reproduced. */
function randomDigits(seed: number): (count: number) => string {
  let state = seed;
  return (count) => {
    let digits = '';
    for (let index = 0; index < count; index++) {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      digits += String(Math.floor((state / 2_147_483_648) * 10));
    }
    return digits;
  };
}

/** The ways the same digits get written: bare, in groups of 3–5 split by spaces or by dashes. */
function writings(callingCode: string, nationalNumber: string): string[] {
  const grouped = (separator: string, size: number) =>
    nationalNumber.match(new RegExp(`\\d{1,${size}}`, 'g'))?.join(separator) ?? nationalNumber;
  return [
    `+${callingCode}${nationalNumber}`,
    `+${callingCode} ${grouped(' ', 5)}`,
    `+${callingCode}-${grouped('-', 3)}`,
    `+${callingCode}${grouped(' ', 4)}`,
  ];
}

/** Numbers of every calling code: each country's example mobile number, near variants of it, and random digits. */
function samples(): string[] {
  const digits = randomDigits(20_240_611);
  const written: string[] = [];
  for (const [callingCode, countries] of Object.entries(metadata.country_calling_codes)) {
    const nationalExamples = countries
      .map((country) => (examples as Record<string, string | undefined>)[country])
      .filter((example): example is string => example !== undefined);
    for (const example of nationalExamples) {
      for (let variant = 0; variant < 40; variant++) {
        const kept = example.length - 1 - (variant % 4);
        written.push(...writings(callingCode, example.slice(0, kept) + digits(example.length - kept)));
      }
      // A leading digit more (national prefixes: 0, 8, 1 …) or less.
      for (let digit = 0; digit <= 9; digit++) written.push(...writings(callingCode, `${digit}${example}`));
      written.push(...writings(callingCode, example.slice(1)));
    }
    for (let length = 1; length <= 18; length++) {
      for (let variant = 0; variant < 8; variant++) written.push(...writings(callingCode, digits(length)));
    }
  }
  return written;
}

describe('validInternationalNumber (the fast path of the phone check)', () => {
  it('answers only for numbers the library finds valid, with the same E.164, for every calling code', () => {
    const disagreements: string[] = [];
    let answered = 0;
    for (const written of samples()) {
      const fast = validInternationalNumber(written);
      if (fast === undefined) continue;
      answered += 1;
      const library = libraryCheck(written);
      if (!library.ok || library.e164 !== fast) {
        disagreements.push(`${written}: fast path ${fast}, library ${JSON.stringify(library)}`);
      }
    }

    expect(disagreements.slice(0, 20)).toEqual([]);
    // The comparison means something only if the fast path answered often.
    expect(answered).toBeGreaterThan(20_000);
  });

  it('answers for Indian mobile numbers as CSVs hold them, so big files take it', () => {
    for (const written of ['+919876543210', '+91 98765 43210', '+91-98765-43210', '+91 987 654 3210']) {
      expect(validInternationalNumber(written)).toBe('+919876543210');
    }
  });

  it.each([
    ['+91 0 98765 43210', 'a national prefix after the calling code'],
    ['+44 20 7946 0958', 'a calling code several countries share'],
    ['+1 201 555 0123', 'a calling code several countries share'],
    ['+800 1234 5678', 'a calling code of no country'],
    ['+91 (98765) 43210', 'parentheses'],
    ['+91 98765  43210', 'two spaces in a row'],
    ['+91 98765.43210', 'dots'],
    ['+971992597366', 'a number that cannot exist'],
    ['+0919876543210', 'a calling code starting with 0'],
    ['919876543210', 'no +'],
  ])('leaves %j to the library (%s)', (written) => {
    expect(validInternationalNumber(written)).toBeUndefined();
  });
});

describe('normalisePhoneNumber with the fast path', () => {
  it.each<[string, CountryCode | undefined]>([
    ['+919876543210', undefined],
    ['+91 98765 43210', undefined],
    ['+91-98765-43210', 'IN'],
    ['  +91 98765-43210 ', undefined],
    ['+91 (98765) 43210', undefined],
    ['+91 98765.43210', 'IN'],
    ['+91\u00a098765\u00a043210', undefined],
    ['+91 098765 43210', undefined],
    ['+91 0 98765 43210', 'IN'],
    ['0091 98765 43210', 'IN'],
    ['00 91 98765 43210', 'IN'],
    ['098765 43210', 'IN'],
    ['98765 43210', 'IN'],
    ['(0) 98765-43210', 'IN'],
    ['919876543210', 'IN'],
    ['+44 (0)20 7946 0958', undefined],
    ['+44 20 7946 0958', 'GB'],
    ['+1 (201) 555-0123', undefined],
    ['201-555-0123', 'US'],
    ['+49 30 901820', undefined],
    ['+39 06 6988 0000', undefined],
    ['+971 50 123 4567', undefined],
    ['+971992597366', undefined],
    ['+91 98765 4321', undefined],
    ['+91 98765 432100', undefined],
    ['+91 12345 67890', undefined],
    ['+999 1234 5678', undefined],
    ['+800 1234 5678', undefined],
    ['+9', undefined],
    ['+91', undefined],
    ['+91 1', undefined],
  ])('gives %j (default country %s) exactly as the library alone does', (written, defaultCountry) => {
    expect(normalisePhoneNumber(written, defaultCountry)).toEqual(libraryCheck(written, defaultCountry));
  });
});
