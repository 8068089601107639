import { credits, utc } from '../platform/readable';
import type { CampaignState } from './definitions';

/**
 * The campaign's current details as the Web UI and `temporal workflow metadata` show them: a short markdown table
 * an operator can read at a glance, with no personal data (ids, counts and times only). Pure, so it is tested
 * without a worker.
 */
export function campaignDetails(state: CampaignState, nextPollAtMs?: number): string {
  const rows: [string, string][] = [['phase', state.phase]];
  if (state.batchId) rows.push(['batch', `${state.batchId} (${state.batchStatus ?? '?'})`]);
  if (state.startsAt) rows.push(['calls start', utc(Date.parse(state.startsAt))]);
  const counts = Object.entries(state.summary?.counts ?? state.counts).sort(([, a], [, b]) => b - a);
  if (counts.length)
    rows.push(['calls by status', counts.map(([status, n]) => `${status} ${n}`).join(' · ')]);
  if (state.summary) {
    rows.push(['answered', String(state.summary.answered)]);
    rows.push(['cost', `${credits(state.summary.totalCostCents)} (Bolna credits)`]);
    // The report holds aggregates only, so its path may be shown; the per-call results' paths are not.
    const report = state.summary.files.reportHtml;
    if (report) rows.push(['report', `\`${report}\``]);
  } else if (state.batchId) {
    rows.push(['answered', String(state.counts.completed ?? 0)]);
    // Bolna's batch reports counts only; the cost of each call comes with the executions, at collection.
    rows.push(['cost so far', 'known when the results are collected']);
  }
  if (nextPollAtMs !== undefined) rows.push(['next poll', utc(nextPollAtMs, true)]);
  if (state.runningDeadline) rows.push(['deadline', utc(Date.parse(state.runningDeadline))]);
  if (state.error) rows.push(['error', state.error]);
  for (const warning of state.warnings ?? []) rows.push(['warning', warning]);
  return [
    '| campaign | |',
    '| --- | --- |',
    ...rows.map(([name, value]) => `| ${name} | ${cell(value)} |`),
  ].join('\n');
}

/** A value that cannot break the table. */
function cell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}
