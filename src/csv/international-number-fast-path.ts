// Why this exists: libphonenumber-js builds a new RegExp from its metadata for every pattern it tries, on every
// call, so a number costs ~12 µs, which made the phone check most of the time of validating a CSV. This file does
// the same check for the common, simple case (a + and the digits, optionally grouped by single spaces or dashes)
// with the same metadata and each pattern compiled once (~0.3 µs). It follows the library's own steps for such
// input (see `parse`, `extractCountryCallingCode`, `extractNationalNumber`, `isValid` and `getNumberType` in
// libphonenumber-js) and answers only when it is sure the number is valid; every other case, invalid numbers
// included, goes to the library, so what is refused and why never depends on this file.
// test/csv/international-number-fast-path.test.ts checks it against the library on numbers of every country.
import metadata from 'libphonenumber-js/metadata.max.json';

/** `+`, then digit groups separated by one space or one dash: the international form people and exports write. */
const simpleInternationalForm = /^\+\d+(?:[ -]\d+)*$/;
const groupSeparators = /[ -]/g;

/** The library's bounds on the national (significant) number, from its constants.js. */
const minNationalNumberLength = 2;
const maxNationalNumberLength = 17;
const maxCallingCodeLength = 3;

/** The layout of metadata version 4 (libphonenumber-js's metadata.js reads it the same way). */
const supportedMetadataVersion = 4;
const planField = {
  nationalNumberPattern: 2,
  possibleLengths: 3,
  nationalPrefix: 5,
  nationalPrefixForParsing: 7,
  types: 11,
} as const;
/**
 * Where the number types are in a plan's list (FIXED_LINE, MOBILE, TOLL_FREE, PREMIUM_RATE, PERSONAL_NUMBER,
 * VOICEMAIL, UAN, PAGER, VOIP, SHARED_COST), mobile first: a number is valid if any type matches, so the order
 * changes nothing but speed, and campaigns call mostly mobiles.
 */
const numberTypePositions = [1, 0, 2, 3, 4, 5, 6, 7, 8, 9];

interface NumberType {
  pattern: RegExp;
  /** Lengths the pattern is tried on; undefined: any. */
  possibleLengths: readonly number[] | undefined;
}

interface CompiledPlan {
  /** Whether the digits after the calling code could start with a national prefix (then the library decides). */
  nationalPrefix: RegExp | undefined;
  nationalNumber: RegExp;
  /** Undefined when the plan has no number types: the national pattern alone decides then. */
  types: readonly NumberType[] | undefined;
}

function patternText(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`libphonenumber-js metadata: ${what} is not a pattern`);
  return value;
}

function lengths(value: unknown): readonly number[] | undefined {
  return Array.isArray(value) && value.every((length) => typeof length === 'number') ? value : undefined;
}

function entirely(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

function compileTypes(types: unknown, planLengths: readonly number[] | undefined): NumberType[] | undefined {
  if (!Array.isArray(types) || types.length === 0) return undefined;
  const compiled: NumberType[] = [];
  for (const position of numberTypePositions) {
    const type: unknown = types[position];
    if (!Array.isArray(type) || typeof type[0] !== 'string' || type[0] === '') continue;
    compiled.push({ pattern: entirely(type[0]), possibleLengths: lengths(type[1]) ?? planLengths });
  }
  return compiled;
}

function compilePlan(country: string): CompiledPlan {
  const plan: unknown = (metadata.countries as Record<string, unknown>)[country];
  if (!Array.isArray(plan)) throw new Error(`libphonenumber-js metadata: no plan for ${country}`);
  const nationalPrefix: unknown = plan[planField.nationalPrefixForParsing] || plan[planField.nationalPrefix];
  return {
    nationalPrefix:
      typeof nationalPrefix === 'string' && nationalPrefix !== ''
        ? new RegExp(`^(?:${nationalPrefix})`)
        : undefined,
    nationalNumber: entirely(
      patternText(plan[planField.nationalNumberPattern], `${country}'s national number`),
    ),
    types: compileTypes(plan[planField.types], lengths(plan[planField.possibleLengths])),
  };
}

/** Calling code → the plan of the one country using it; undefined for codes shared or non-geographic. */
const planByCallingCode = new Map<string, CompiledPlan | undefined>();

function planFor(callingCode: string): CompiledPlan | undefined {
  if (planByCallingCode.has(callingCode)) return planByCallingCode.get(callingCode);
  const countries: readonly string[] | undefined = metadata.country_calling_codes[callingCode];
  // '001' stands for "no country" (e.g. +800 freephone numbers), which the library treats apart.
  const country = countries?.length === 1 ? countries[0] : undefined;
  const plan = country === undefined || country === '001' ? undefined : compilePlan(country);
  planByCallingCode.set(callingCode, plan);
  return plan;
}

function isCallingCode(digits: string): boolean {
  return digits in metadata.country_calling_codes || digits in metadata.nonGeographic;
}

/** First three digits → the calling code they start with (the shortest that is one), or null for none. */
const callingCodeByStart = new Map<string, string | null>();

/** The calling code `digits` start with, found as the library does: the shortest of 1 to 3 digits that is one. */
function callingCodeOf(digits: string): string | undefined {
  const start = digits.slice(0, maxCallingCodeLength);
  let callingCode = callingCodeByStart.get(start);
  if (callingCode === undefined) {
    callingCode = null;
    for (let length = 1; length <= start.length && callingCode === null; length++) {
      if (isCallingCode(start.slice(0, length))) callingCode = start.slice(0, length);
    }
    callingCodeByStart.set(start, callingCode);
  }
  return callingCode ?? undefined;
}

function isValidNationalNumber(nationalNumber: string, plan: CompiledPlan): boolean {
  if (!plan.nationalNumber.test(nationalNumber)) return false;
  if (plan.types === undefined) return true;
  return plan.types.some(
    (type) =>
      (type.possibleLengths === undefined || type.possibleLengths.includes(nationalNumber.length)) &&
      type.pattern.test(nationalNumber),
  );
}

if (metadata.version !== supportedMetadataVersion) {
  throw new Error(`libphonenumber-js metadata version ${metadata.version} is not the one this file reads`);
}

/**
 * The E.164 form of `value` when it is a valid number written as `+` and digits (optionally in groups separated by
 * single spaces or dashes) that the library would accept as it is; undefined when the library has to decide.
 */
export function validInternationalNumber(value: string): string | undefined {
  if (!simpleInternationalForm.test(value)) return undefined;
  const digits = value.slice(1).replace(groupSeparators, '');
  if (digits.startsWith('0')) return undefined;
  const callingCode = callingCodeOf(digits);
  if (callingCode === undefined) return undefined;
  const plan = planFor(callingCode);
  if (plan === undefined) return undefined;
  const nationalNumber = digits.slice(callingCode.length);
  if (nationalNumber.length < minNationalNumberLength || nationalNumber.length > maxNationalNumberLength) {
    return undefined;
  }
  // A national prefix is stripped, or not, depending on what is left: the library's call.
  if (plan.nationalPrefix?.test(nationalNumber) === true) return undefined;
  return isValidNationalNumber(nationalNumber, plan) ? `+${digits}` : undefined;
}
