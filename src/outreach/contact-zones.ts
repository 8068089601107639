import type { CallingWindow } from '../workflows/outreach-definitions';
import { recipientZones } from './recipient-zones';

/**
 * How the ledger gets each contact's zones: the window's fixed zone for everybody, or each recipient's own (its
 * `timezone` column, else its number). A contact whose zone cannot be known gets the reason, for the row's error:
 * calling it "in its own time" would be a guess.
 */
export function contactZonesResolver(
  window: CallingWindow | undefined,
): (number: string, timezoneColumn: string | undefined) => string[] | string {
  const fixedZone = window?.timeZone && window.timeZone !== 'recipient' ? window.timeZone : undefined;
  if (fixedZone !== undefined) return () => [fixedZone];
  return (number, timezoneColumn) => {
    const zones = recipientZones(number, timezoneColumn);
    if (zones.kind === 'zones') return [...zones.zones];
    return `${number}: ${zones.message}; add a timezone column with the recipient's zone`;
  };
}
