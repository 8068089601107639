/**
 * The contact list of campaign number `campaign` in a many-campaign run (the soak, the campaign benchmark): `rows`
 * valid Indian mobile numbers, distinct across campaigns and rows (up to 1,000 rows a campaign).
 */
export function campaignContactsCsv(campaign: number, rows: number): string {
  const lines = ['contact_number,first_name'];
  for (let row = 0; row < rows; row += 1) {
    lines.push(`+9198${String(campaign * 1_000 + row).padStart(8, '0')},Person ${row}`);
  }
  return `${lines.join('\n')}\n`;
}
