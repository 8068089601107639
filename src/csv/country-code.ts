import { isSupportedCountry } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';

export type { CountryCode };

/**
 * Whether `value` is a two-letter country code (ISO 3166-1 alpha-2, upper case, e.g. "IN") the phone-number
 * metadata knows. Use it to check a default country that comes from user input before passing it on: with an
 * unknown one every national number would be reported as invalid, which would send the user fixing the wrong thing.
 */
export function isCountryCode(value: string): value is CountryCode {
  return isSupportedCountry(value);
}
