import Table from 'cli-table3';
import { followOutreach } from '../campaigns';
import type { AnyCampaignHandle, OutreachDescription } from '../campaigns';
import { credits, utc } from '../platform/readable';
import { contactStates } from '../workflows/outreach-definitions';
import type {
  ContactCounts,
  OutreachFiles,
  OutreachOutcome,
  OutreachProgress,
  OutreachResult,
  WaveSummary,
} from '../workflows/outreach-definitions';
import { tableStyle } from './output';

/**
 * How the CLI shows an outreach campaign (waves of batches) to a person: its contacts by state, each wave, spend,
 * the next wave and why then, and at the end where the per-contact files are. Batch campaigns: output.ts.
 */

/** A time to the minute, or to the second when it has seconds (Bolna's rounding shrunk against the simulator). */
function at(time: string): string {
  const ms = Date.parse(time);
  return utc(ms, new Date(ms).getUTCSeconds() !== 0);
}

/** Every state, in the ledger's order, zeros included: the same columns each time an operator looks. */
function contactsLine(contacts: ContactCounts): string {
  return contactStates.map((state) => `${state} ${contacts[state]}`).join(' · ');
}

function spendLine(cents: number): string {
  return `${credits(cents)} (Bolna credits)`;
}

function callsOf(wave: WaveSummary): string {
  return Object.entries(wave.counts ?? {})
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
}

function outcomeOf(wave: WaveSummary): string {
  if (!wave.outcome) return wave.stopReason ? `stopping: ${wave.stopReason}` : 'running';
  return wave.stopReason ? `${wave.outcome}: ${wave.stopReason}` : wave.outcome;
}

/** One row per wave: its number, batch, start, contacts, calls by final status, cost and how it ended. */
function wavesTable(waves: readonly WaveSummary[]): string {
  const table = new Table({
    head: ['wave', 'batch', 'contacts', 'start', 'calls', 'cost', 'outcome'],
    ...tableStyle(),
  });
  for (const wave of waves) {
    table.push([
      wave.number,
      wave.batchId ?? '',
      wave.contacts,
      at(wave.startAt),
      callsOf(wave),
      wave.costCents === undefined ? '' : credits(wave.costCents),
      outcomeOf(wave),
    ]);
  }
  return table.toString();
}

/** What is going on besides the waves: the next wave and why then, a pause, a stop, the goal, an error. */
function stateLines(progress: OutreachProgress): string[] {
  const lines: (string | false | undefined)[] = [
    progress.nextWave && `next wave: ${at(progress.nextWave.at)} (${progress.nextWave.why})`,
    progress.paused && `paused: ${progress.pauseReason ?? 'no reason given'} (resume goes on)`,
    progress.stopRequested && `stop: ${progress.stopReason ?? 'no reason given'}`,
    progress.goalReached !== undefined && `goal: ${progress.goalReached} contacts reached it`,
    progress.error && `error: ${progress.error}`,
  ];
  return lines.filter((line): line is string => typeof line === 'string');
}

function warningLines(warnings: readonly string[] | undefined): string {
  return (warnings ?? []).map((warning) => `\nWarning: ${warning}`).join('');
}

/** `status`: the phase, contacts by state, spend, each wave kept in the state, and what comes next. */
export function outreachStatus(workflowId: string, progress: OutreachProgress): string {
  const head = `${workflowId}: outreach, phase ${progress.phase} · ${progress.wavesRun} wave(s) · spend ${spendLine(progress.spendCents)}`;
  const lines = [head, `contacts: ${contactsLine(progress.contacts)}`];
  if (progress.waves.length > 0) {
    const older = progress.wavesRun - progress.waves.length;
    lines.push(wavesTable(progress.waves));
    if (older > 0) lines.push(`(${older} earlier wave(s) are in the campaign's results)`);
  }
  lines.push(...stateLines(progress));
  return `${lines.join('\n')}${warningLines(progress.warnings)}`;
}

/** `watch`: one line per change of an outreach campaign's progress (its waves' calls are in `status`). */
export function outreachProgressLine(progress: OutreachProgress): string {
  const contacts = contactStates
    .filter((state) => progress.contacts[state] > 0)
    .map((state) => `${state} ${progress.contacts[state]}`);
  const wave = progress.waves.at(-1);
  const parts = [
    `phase ${progress.phase}`,
    ...(contacts.length ? [`contacts ${contacts.join(', ')}`] : []),
    ...(wave
      ? [`wave ${wave.number}: ${wave.contacts} contacts from ${at(wave.startAt)}, ${outcomeOf(wave)}`]
      : []),
    `spend ${credits(progress.spendCents)}`,
    ...stateLines(progress),
  ];
  return parts.join(' · ');
}

/** Follows an outreach campaign until its workflow closes, one line per change on `out` (default stderr). */
export async function watchOutreach(
  handle: AnyCampaignHandle,
  options: { intervalMs?: number; out?: NodeJS.WritableStream } = {},
): Promise<OutreachProgress> {
  const out = options.out ?? process.stderr;
  let lastLine = '';
  return followOutreach(handle, {
    onProgress: (progress) => {
      const line = outreachProgressLine(progress);
      if (line !== lastLine) out.write(`${line}\n`);
      lastLine = line;
    },
    ...(options.intervalMs ? { intervalMs: options.intervalMs } : {}),
  });
}

const outcomeHeadlines: Record<OutreachOutcome, (stopReason: string | undefined) => string> = {
  completed: () => 'Outreach campaign completed: no contact has a call left',
  stopped: (why) => `Outreach campaign stopped (${why ?? 'no reason given'})`,
  deadline: () => 'Outreach campaign ended at its deadline: contacts still waiting expired',
  budget: (why) => `Outreach campaign ended: ${why ?? 'the budget is spent'}`,
  goal: (why) => `Outreach campaign ended: ${why ?? 'the goal is reached'}`,
};

function filesRows(files: OutreachFiles | undefined): Record<string, string>[] {
  if (!files) return [];
  return [
    { 'contacts (CSV)': files.contactsCsv },
    { 'contacts (JSON Lines)': files.contactsJsonl },
    ...(files.reportHtml ? [{ report: files.reportHtml }] : []),
    ...(files.reportJson ? [{ 'report (JSON)': files.reportJson }] : []),
  ];
}

/** `results` and `watch` at the end: how it ended, contacts by final state, waves, spend, and the files. */
export function describeOutreachResult(result: OutreachResult): string {
  const head = outcomeHeadlines[result.outcome](result.stopReason);
  const contacts = new Table({ head: ['contact state', 'contacts'], ...tableStyle() });
  for (const state of contactStates) contacts.push([state, result.contacts[state]]);
  const totals = new Table(tableStyle());
  totals.push(
    { waves: result.waves },
    { spend: spendLine(result.spendCents) },
    ...(result.goalReached !== undefined ? [{ 'goal reached': result.goalReached }] : []),
    ...filesRows(result.files),
  );
  return `${head}\n${contacts.toString()}\n${totals.toString()}${warningLines(result.warnings)}`;
}

/** `describe`: one outreach campaign, field by field; rows with nothing to say are left out; then its waves. */
export function outreachDescription(campaign: OutreachDescription): string {
  const progress = campaign.progress;
  const ending = campaign.ending;
  const result = ending?.how === 'returned' ? ending.result : undefined;
  const contacts = progress?.contacts ?? result?.contacts;
  const spend = progress?.spendCents ?? result?.spendCents;
  const rows: [string, string | number | undefined | false][] = [
    ['campaign', campaign.workflowId],
    ['kind', 'outreach (waves of batches)'],
    ['run', campaign.runId],
    ['summary', campaign.summary],
    ['status', campaign.status.toLowerCase()],
    ['phase', progress?.phase ?? campaign.phase],
    ['rows', progress?.rows],
    ['contacts', contacts && contactsLine(contacts)],
    ['waves', progress?.wavesRun ?? result?.waves],
    ['spend', spend !== undefined && spendLine(spend)],
    ['goal reached', progress?.goalReached ?? result?.goalReached],
    ['next wave', progress?.nextWave && `${at(progress.nextWave.at)} (${progress.nextWave.why})`],
    ['paused', progress?.paused && (progress.pauseReason ?? 'no reason given')],
    ['stop', progress?.stopRequested && `requested: ${progress.stopReason ?? 'no reason given'}`],
    ['error', progress?.error],
    ['progress', campaign.progressUnavailable && `unavailable: ${campaign.progressUnavailable}`],
    [
      'outcome',
      ending && [ending.outcome, ending.how !== 'returned' ? `(${ending.how})` : ''].join(' ').trim(),
    ],
    ['why', ending?.how === 'failed' ? ending.reason : result?.stopReason],
    ['contacts (CSV)', result?.files?.contactsCsv ?? progress?.results?.contactsCsv],
    ['report', result?.files?.reportHtml ?? progress?.results?.reportHtml],
    ['started', utc(campaign.startTime)],
    ['ended', campaign.closeTime && utc(campaign.closeTime)],
    ['task queue', campaign.taskQueue],
    ['history events', campaign.historyLength],
  ];
  const table = new Table(tableStyle());
  for (const [field, value] of rows) {
    if (value !== undefined && value !== false && value !== '') table.push({ [field]: value });
  }
  const waves = progress && progress.waves.length > 0 ? `\n${wavesTable(progress.waves)}` : '';
  return `${table.toString()}${waves}${warningLines(progress?.warnings ?? result?.warnings)}`;
}
