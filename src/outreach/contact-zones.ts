import type { CallingWindow } from '../workflows/outreach-definitions';

/** A contact's zones, or why it has none (said about the row). */
export function contactZonesResolver(
  window: CallingWindow | undefined,
): (number: string, timezoneColumn: string | undefined) => string[] | string {
  return () => (window?.timeZone && window.timeZone !== 'recipient' ? [window.timeZone] : ['UTC']);
}
