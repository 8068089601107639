// The `max` metadata, not the default `min`: `min` checks little more than a number's length, so of random
// well-formed numbers it passed 3 in 10 +91 and 4 in 10 +971 numbers that cannot exist. Through the library `max` is
// ~2.5x slower per number (11.6 vs 4.4 µs), which is worth it: a number that cannot exist is a failed call, and a
// wasted slot in the campaign. Numbers already written as + and digits take a fast path with the same metadata
// (international-number-fast-path.ts), so the cost is paid only for the others.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from './country-code';
import { isCountryCode } from './country-code';
import { validInternationalNumber } from './international-number-fast-path';
import { shortenValue } from './shorten-value';

export type PhoneNumberCheck = { ok: true; e164: string } | { ok: false; message: string };

/** What a spreadsheet shows for a long number it stores as a float: 9.19876543E+11 (or 9,19876543E+11). */
const scientificNotation = /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i;
/** What a spreadsheet writes for a number it stores as a decimal: 919876543210.0 */
const decimalTail = /^\+?\d+\.0+$/;
/** Digits with the separators people type (spaces, dashes of any kind, dots, parentheses) and an optional leading +. */
const phoneCharacters = /^\+?[\d \t\u00a0\u202f().\-\u2010-\u2015\u2212]+$/;

const retypeAsText = 'format the column as text and type the numbers again with + and the country code';

/**
 * Checks one `contact_number` and gives it in E.164 (+ country code, digits only), the form Bolna dials.
 * Numbers without a leading + are read as national numbers of `defaultCountry`, and refused when there is none:
 * guessing a country would dial someone else.
 */
export function normalisePhoneNumber(written: string, defaultCountry?: CountryCode): PhoneNumberCheck {
  const value = written.trim();
  if (value === '') return { ok: false, message: 'the phone number is empty' };
  // First, as most numbers take it: what the fast path accepts (+ and digits) passes every check below. With an
  // unknown default country the library refuses every number; that answer stays the library's.
  const fast =
    defaultCountry === undefined || isCountryCode(defaultCountry)
      ? validInternationalNumber(value)
      : undefined;
  if (fast !== undefined) return { ok: true, e164: fast };
  const quoted = `'${shortenValue(value)}'`;
  if (scientificNotation.test(value)) {
    return {
      ok: false,
      message: `${quoted} looks like a spreadsheet turned the number into scientific notation; ${retypeAsText}`,
    };
  }
  if (decimalTail.test(value)) {
    return {
      ok: false,
      message: `${quoted} ends in '.0', which a spreadsheet adds when it stores the number as a decimal; ${retypeAsText}`,
    };
  }
  if (!phoneCharacters.test(value)) {
    return {
      ok: false,
      message: `${quoted} is not a valid phone number; use only digits, spaces, dashes, dots, parentheses and a leading +`,
    };
  }
  if (!value.startsWith('+') && defaultCountry === undefined) {
    return {
      ok: false,
      message: `${quoted} needs a country code; write it with + and the country code, like +91 98765 43210`,
    };
  }
  const parsed = parsePhoneNumberFromString(value, {
    ...(defaultCountry ? { defaultCountry } : {}),
    extract: false,
  });
  if (parsed === undefined || !parsed.isValid()) {
    return { ok: false, message: `${quoted} is not a valid phone number` };
  }
  return { ok: true, e164: parsed.number };
}
