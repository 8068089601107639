import type { ExtractedDataSummary, ExtractedField, ExtractedStrings } from './report-data';

/**
 * Summarises `extracted_data` (what the agent pulled out of each conversation) field by field, keeping counts only:
 * booleans by value, numbers as count/min/max/mean, short strings by value, long strings just counted. The values
 * are the callee's words as an LLM wrote them down, so the report lists a value only when it is short, frequent
 * (`minCountToShow` calls or more: a name or a one-off reply is not) and not shaped like a phone number, email or
 * URL. Memory is bounded: at most `maxFields` fields and `maxDistinctValues` distinct values per field are tracked.
 */

/** Longest string counted by value; longer ones are free text. */
const shortStringLength = 40;
/** A value must occur in this many calls before the report shows it. */
export const minCountToShow = 3;
/** The most frequent values listed per field; the rest are added up as "other values". */
export const maxListedValues = 12;
const maxFields = 50;
const maxDistinctValues = 500;
/** Nested objects are flattened to `a.b.c` this deep; deeper ones are counted as "other". */
const maxDepth = 3;

/** Integers this large are identifiers (phone numbers without `+`, account numbers), not quantities. */
const identifierLikeNumberFrom = 1e9;
const phoneLike = /^\+?[\d\s().-]{7,}$/;
const emailLike = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const urlLike = /^[a-z][a-z0-9+.-]*:\/\//i;
/** A date (2026-06-23, 23/06/2026, 23.06.26) has as many digits as a phone number, but is no identifier. */
const dateLike = /^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](\d{2}|\d{4}))$/;

function isIdentifierLike(text: string): boolean {
  const digits = text.replace(/\D/g, '').length;
  const phone = phoneLike.test(text) && digits >= 7 && !dateLike.test(text);
  return phone || emailLike.test(text) || urlLike.test(text);
}

interface FieldTally {
  calls: number;
  empty: number;
  trues: number;
  falses: number;
  numbers: { count: number; min: number; max: number; sum: number };
  strings: number;
  shortValues: Map<string, number>;
  valuesTruncated: boolean;
  long: number;
  identifierLike: number;
  other: number;
}

function newFieldTally(): FieldTally {
  return {
    calls: 0,
    empty: 0,
    trues: 0,
    falses: 0,
    numbers: { count: 0, min: Infinity, max: -Infinity, sum: 0 },
    strings: 0,
    shortValues: new Map(),
    valuesTruncated: false,
    long: 0,
    identifierLike: 0,
    other: 0,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Bolna sends `extracted_data` as an object; a JSON text of one is read as the object. */
function asObject(value: unknown): Record<string, unknown> | undefined {
  if (isPlainObject(value)) return value;
  if (typeof value !== 'string' || !value.trimStart().startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isPlainObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export class ExtractedDataTally {
  #calls = 0;
  #unstructured = 0;
  readonly #fields = new Map<string, FieldTally>();
  /** Fields seen past `maxFields`: names only, and only up to a limit, to count them without growing. */
  readonly #fieldsNotSummarised = new Set<string>();

  add(extractedData: unknown): void {
    if (extractedData === undefined || extractedData === null) return;
    const data = asObject(extractedData);
    if (!data) {
      this.#unstructured += 1;
      return;
    }
    this.#calls += 1;
    this.#addObject(data, '', 1);
  }

  #addObject(data: Record<string, unknown>, prefix: string, depth: number): void {
    for (const [key, value] of Object.entries(data)) {
      const name = `${prefix}${key}`;
      if (isPlainObject(value) && depth < maxDepth) this.#addObject(value, `${name}.`, depth + 1);
      else this.#addValue(name, value);
    }
  }

  #addValue(name: string, value: unknown): void {
    const field = this.#field(name);
    if (!field) return;
    if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
      field.empty += 1;
      return;
    }
    field.calls += 1;
    if (typeof value === 'boolean') {
      if (value) field.trues += 1;
      else field.falses += 1;
    } else if (typeof value === 'number' && Number.isFinite(value)) {
      if (Number.isInteger(value) && Math.abs(value) >= identifierLikeNumberFrom) {
        field.identifierLike += 1;
        return;
      }
      const numbers = field.numbers;
      numbers.count += 1;
      numbers.sum += value;
      numbers.min = Math.min(numbers.min, value);
      numbers.max = Math.max(numbers.max, value);
    } else if (typeof value === 'string') {
      this.#addString(field, value.trim());
    } else {
      field.other += 1;
    }
  }

  #addString(field: FieldTally, text: string): void {
    if (isIdentifierLike(text)) {
      field.identifierLike += 1;
      return;
    }
    field.strings += 1;
    if (text.length > shortStringLength) field.long += 1;
    else if (field.shortValues.has(text) || field.shortValues.size < maxDistinctValues) {
      field.shortValues.set(text, (field.shortValues.get(text) ?? 0) + 1);
    } else {
      field.valuesTruncated = true;
    }
  }

  #field(name: string): FieldTally | undefined {
    const known = this.#fields.get(name);
    if (known) return known;
    if (this.#fields.size >= maxFields) {
      if (this.#fieldsNotSummarised.size < maxDistinctValues) this.#fieldsNotSummarised.add(name);
      return undefined;
    }
    const field = newFieldTally();
    this.#fields.set(name, field);
    return field;
  }

  summary(): ExtractedDataSummary {
    return {
      calls: this.#calls,
      unstructured: this.#unstructured,
      fields: [...this.#fields].map(([name, field]) => summariseField(name, field)),
      fieldsNotSummarised: this.#fieldsNotSummarised.size,
    };
  }
}

function summariseField(name: string, field: FieldTally): ExtractedField {
  const summary: ExtractedField = { field: name, calls: field.calls, empty: field.empty };
  if (field.trues + field.falses > 0) summary.booleans = { true: field.trues, false: field.falses };
  const { numbers } = field;
  if (numbers.count > 0) {
    summary.numbers = {
      count: numbers.count,
      min: numbers.min,
      max: numbers.max,
      mean: Math.round((numbers.sum / numbers.count) * 1e4) / 1e4,
    };
  }
  if (field.strings > 0) summary.strings = summariseStrings(field);
  if (field.identifierLike > 0) summary.identifierLike = field.identifierLike;
  if (field.other > 0) summary.other = field.other;
  return summary;
}

function summariseStrings(field: FieldTally): ExtractedStrings {
  const byCount = [...field.shortValues].sort(
    ([a, countA], [b, countB]) => countB - countA || a.localeCompare(b),
  );
  const values = byCount
    .filter(([, count]) => count >= minCountToShow)
    .slice(0, maxListedValues)
    .map(([value, count]) => ({ value, count }));
  const shortCount = byCount.reduce((sum, [, count]) => sum + count, 0);
  const listed = values.reduce((sum, { count }) => sum + count, 0);
  const notTracked = field.strings - field.long - shortCount;
  return {
    count: field.strings,
    values,
    otherValues: shortCount - listed + notTracked,
    long: field.long,
    ...(field.valuesTruncated ? { valuesTruncated: true } : {}),
  };
}
