/**
 * Which campaign a Bolna batch belongs to, from its upload name alone: a campaign uploads its CSV as
 * `<workflow ID made file-safe>-<first run ID>.csv` (src/workflows/campaign-key.ts), and the rehearsal's workflow IDs
 * are file-safe already. So Bolna's side can be counted per campaign without asking Temporal.
 */
const uploadName = /^(.+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.csv$/;

export function workflowIdOfBatch(fileName: string): string | undefined {
  return uploadName.exec(fileName)?.[1];
}
