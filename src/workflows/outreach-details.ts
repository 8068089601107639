import { credits, utc } from '../platform/readable';
import type { OutreachState } from './outreach-definitions';

/**
 * The outreach campaign's current details as the Web UI and `temporal workflow metadata` show them: contacts by
 * state, the last wave, spend, and the next wave and why then. Ids, counts and times only (no personal data).
 */
export function outreachDetails(state: OutreachState): string {
  const rows: [string, string][] = [['phase', state.phase]];
  if (state.paused) rows.push(['paused', state.pauseReason ?? 'yes']);
  const contacts = Object.entries(state.contacts).filter(([, count]) => count > 0);
  if (contacts.length)
    rows.push(['contacts', contacts.map(([name, count]) => `${name} ${count}`).join(' · ')]);
  rows.push(['waves', String(state.wavesRun)]);
  const last = state.waves.at(-1);
  if (last) {
    const batch = last.batchId ? `, batch ${last.batchId}` : '';
    rows.push([
      `wave ${last.number}`,
      `${last.contacts} contacts from ${utc(Date.parse(last.startAt))}${batch}`,
    ]);
  }
  rows.push(['spend', `${credits(state.spendCents)} (Bolna credits)`]);
  if (state.goalReached !== undefined) rows.push(['goal', `${state.goalReached} reached`]);
  if (state.nextWave)
    rows.push(['next wave', `${utc(Date.parse(state.nextWave.at))}: ${state.nextWave.why}`]);
  if (state.stopReason) rows.push(['stop', state.stopReason]);
  if (state.error) rows.push(['error', state.error]);
  for (const warning of state.warnings ?? []) rows.push(['warning', warning]);
  return [
    '| outreach | |',
    '| --- | --- |',
    ...rows.map(([name, value]) => `| ${name} | ${value.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')} |`),
  ].join('\n');
}
