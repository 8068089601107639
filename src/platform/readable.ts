/**
 * Times and money as people read them, the same in the CLI, the Web UI's details and the report. Pure, so workflow
 * code may use it too.
 */

/** `2026-12-02 12:10 UTC` (with `:30` seconds when they matter): one zone for every operator. */
export function utc(time: number | string | Date, withSeconds = false): string {
  return `${new Date(time)
    .toISOString()
    .slice(0, withSeconds ? 19 : 16)
    .replace('T', ' ')} UTC`;
}

/** Bolna reports cost in cents; people read it in credits: `12.50`. */
export function credits(cents: number): string {
  return (cents / 100).toFixed(2);
}
