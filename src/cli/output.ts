import { SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import { isTerminalCallStatus } from '../bolna/statuses';
import { followCampaign } from '../campaigns';
import type {
  CampaignKind,
  AgentBatches,
  CampaignDescription,
  CampaignHandle,
  CampaignListing,
  CampaignReport,
  PauseResult,
  StopResult,
} from '../campaigns';
import { credits, utc } from '../platform/readable';
import type { CampaignReport as ReportFigures } from '../report/report-data';
import type { CampaignProgress, CampaignResult, ResultsSummary } from '../workflows/definitions';

/** How the CLI and the demo show a campaign to a person: lines, tables and a progress bar. */

/** Prints `value` as JSON for scripts, or `human` for people. */
export function print(json: boolean, value: unknown, human: string): void {
  console.log(json ? JSON.stringify(value, null, 2) : human);
}

function callsFinished(progress: CampaignProgress): number {
  return Object.entries(progress.counts)
    .filter(([status]) => isTerminalCallStatus(status))
    .reduce((sum, [, count]) => sum + count, 0);
}

export function describeProgress(progress: CampaignProgress): string {
  const parts = [`phase ${progress.phase}`];
  if (progress.batchId) parts.push(`batch ${progress.batchId} (${progress.batchStatus ?? '?'})`);
  if (progress.phase === 'waiting' && progress.startsAt) parts.push(`calls start at ${progress.startsAt}`);
  const counts = Object.entries(progress.counts);
  if (counts.length) parts.push(counts.map(([status, n]) => `${status} ${n}`).join(', '));
  if (progress.stopRequested) parts.push(`stopping: ${progress.stopReason ?? ''}`);
  if (progress.error) parts.push(`error: ${progress.error}`);
  for (const warning of progress.warnings ?? []) parts.push(`warning: ${warning}`);
  return parts.join(' · ');
}

/** `Batch campaign campaign-dec` or `Outreach campaign outreach-dec`: what it is, by its workflow type. */
const campaignCalled = (kind: CampaignKind, workflowId: string) =>
  `${kind === 'outreach' ? 'Outreach' : 'Batch'} campaign ${workflowId}`;

export function describeStop(stop: StopResult): string {
  const campaign = campaignCalled(stop.kind, stop.workflowId);
  if (stop.stopRequested) {
    const what = stop.kind === 'outreach' ? 'its running wave, starts no other,' : 'its batch';
    return `Stop sent to ${stop.kind} campaign ${stop.workflowId}: it stops ${what} and collects the calls made so far`;
  }
  if (stop.status) return `${campaign} already ended (${stop.status.toLowerCase()}); nothing to stop`;
  return `${campaign} is already ${stop.phase ?? 'finishing'}: nothing left to stop`;
}

/** `pause` and `resume`: whether the campaign took the signal, and where it is now (only outreach campaigns pause). */
export function describePause(what: 'pause' | 'resume', result: PauseResult): string {
  const campaign = campaignCalled('outreach', result.workflowId);
  if (result.status) {
    return `${campaign} already ended (${result.status.toLowerCase()}); nothing to ${what}`;
  }
  const now = result.paused ? 'paused' : 'not paused';
  return `${what === 'pause' ? 'Pause' : 'Resume'} sent to outreach campaign ${result.workflowId}: it is ${now} (phase ${result.phase ?? '?'})`;
}

/** Colours only on a terminal: in logs and pipes the escape codes are noise. */
export const tableStyle = () => (process.stdout.isTTY ? {} : { style: { head: [], border: [] } });

/** `list`: one campaign per row, what an operator scans for. */
export function campaignsTable(campaigns: readonly CampaignListing[]): string {
  const table = new Table({
    head: ['campaign', 'name', 'phase', 'status', 'agent', 'batch', 'started'],
    ...tableStyle(),
  });
  for (const campaign of campaigns) {
    table.push([
      campaign.workflowId,
      campaign.name ?? '',
      campaign.phase ?? '',
      campaign.status.toLowerCase(),
      campaign.agentId ?? '',
      campaign.batchId ?? '',
      utc(campaign.startTime),
    ]);
  }
  return table.toString();
}

/** `batches`: Bolna's batches of one agent, newest first, with the campaign that owns each. */
export function batchesTable(listed: AgentBatches): string {
  if (listed.batches.length === 0) return 'Bolna lists no batches for this agent.';
  const table = new Table({
    head: ['batch', 'status', 'contacts', 'created', 'scheduled', 'campaign'],
    ...tableStyle(),
  });
  const newestFirst = [...listed.batches].sort((a, b) =>
    (b.batch.created_at ?? '').localeCompare(a.batch.created_at ?? ''),
  );
  for (const { batch, owner } of newestFirst) {
    const campaign =
      owner === undefined
        ? '(not ours)'
        : owner.by === 'search-attribute'
          ? `${owner.campaign.workflowId} (${owner.campaign.phase ?? owner.campaign.status.toLowerCase()})`
          : `${owner.workflowId} (by upload name)`;
    table.push([
      batch.batch_id,
      batch.status,
      batch.valid_contacts ?? batch.total_contacts ?? '',
      batch.created_at ?? '',
      batch.scheduled_at ?? '',
      campaign,
    ]);
  }
  const note = listed.ownersByFileNameOnly
    ? `\nNote: campaigns matched by upload name only; the search-attribute query failed: ${listed.ownersByFileNameOnly}`
    : '';
  return `${table.toString()}${note}`;
}

/** `report`: where the report is and, when this host can read it, what it says in one glance. */
export function reportHeadline(report: CampaignReport, figures: ReportFigures | undefined): string {
  const where = `Report: ${report.html}\nFigures (JSON): ${report.json}`;
  if (!figures) return `${where}\n(not readable from here: it is on the workers' results volume)`;
  const outcomes = figures.outcomes.map(({ outcome, calls }) => `${outcome} ${calls}`).join(', ');
  const perAnswered = figures.cost.perAnsweredCallCents;
  const cost =
    `cost ${credits(figures.cost.totalCents)}` +
    (perAnswered === null ? '' : `, ${credits(perAnswered)} per answered call`);
  return `${where}\n${figures.calls.total} calls: ${outcomes}; ${cost} (Bolna credits)`;
}

/** `describe`: one campaign, field by field; rows with nothing to say are left out. */
export function campaignDescription(campaign: CampaignDescription): string {
  const progress = campaign.progress;
  const ending = campaign.ending;
  const result = ending?.how === 'returned' ? ending.result : undefined;
  const counts = progress?.counts ?? result?.counts ?? {};
  const rows: [string, string | number | undefined][] = [
    ['campaign', campaign.workflowId],
    ['run', campaign.runId],
    ['summary', campaign.summary],
    ['status', campaign.status.toLowerCase()],
    ['phase', progress?.phase ?? campaign.phase],
    ['name', campaign.name],
    ['agent', campaign.agentId],
    [
      'batch',
      joined([progress?.batchId ?? campaign.batchId, progress?.batchStatus && `(${progress.batchStatus})`]),
    ],
    ['contacts', progress?.csv && `${progress.csv.rows} rows`],
    ['scheduled at', progress?.scheduledAt],
    ['calls start', progress?.startsAt],
    ['running deadline', progress?.runningDeadline],
    [
      'calls',
      Object.entries(counts)
        .map(([status, n]) => `${status} ${n}`)
        .join(', '),
    ],
    ['last poll', progress?.lastPolledAt],
    ['stop', progress?.stopRequested ? `requested: ${progress.stopReason ?? 'no reason given'}` : undefined],
    ['error', progress?.error],
    ['progress', campaign.progressUnavailable && `unavailable: ${campaign.progressUnavailable}`],
    ['outcome', ending && joined([ending.outcome, ending.how !== 'returned' && `(${ending.how})`])],
    ['why', ending?.how === 'failed' ? ending.reason : result?.stopReason],
    ['answered', result?.answered],
    [
      'cost',
      result?.totalCostCents !== undefined ? `${credits(result.totalCostCents)} (Bolna credits)` : undefined,
    ],
    ['results (CSV)', result?.files?.csv],
    ['report', result?.files?.reportHtml],
    ['started', utc(campaign.startTime)],
    ['ended', campaign.closeTime && utc(campaign.closeTime)],
    ['task queue', campaign.taskQueue],
    ['history events', campaign.historyLength],
  ];
  const table = new Table(tableStyle());
  for (const [field, value] of rows) {
    if (value !== undefined && value !== '') table.push({ [field]: value });
  }
  const warnings = progress?.warnings ?? result?.warnings ?? [];
  return `${table.toString()}${warnings.map((warning) => `\nWarning: ${warning}`).join('')}`;
}

function joined(parts: (string | false | undefined)[]): string {
  return parts.filter((part): part is string => typeof part === 'string' && part !== '').join(' ');
}

function summaryTable(summary: ResultsSummary): string {
  const table = new Table({ head: ['call status', 'calls'], ...tableStyle() });
  for (const [status, count] of Object.entries(summary.counts).sort(([, a], [, b]) => b - a)) {
    table.push([status, count]);
  }
  const totals = new Table(tableStyle());
  totals.push(
    { batch: `${summary.batchId} (${summary.batchStatus})` },
    { calls: summary.totalCalls },
    { answered: summary.answered },
    { voicemail: summary.voicemail },
    { 'talk time': `${Math.round(summary.totalDurationSeconds)} s` },
    { cost: `${credits(summary.totalCostCents)} (Bolna credits)` },
    { 'results (JSON Lines)': summary.files.jsonl },
    { 'results (CSV)': summary.files.csv },
    ...(summary.files.reportHtml ? [{ report: summary.files.reportHtml }] : []),
  );
  const warnings = [
    summary.balanceLow > 0 &&
      `${summary.balanceLow} call(s) were not placed because the Bolna wallet ran out (balance-low). Top up and run them again.`,
    summary.droppedRows > 0 &&
      `Bolna dropped ${summary.droppedRows} row(s) of the CSV as invalid contacts: they were never called.`,
    summary.missingRows > 0 &&
      `${summary.missingRows} row(s) have no result in either of Bolna's executions listings.`,
  ];
  const warning = warnings
    .filter((line): line is string => typeof line === 'string')
    .map((line) => `\nWarning: ${line}`)
    .join('');
  return `${table.toString()}\n${totals.toString()}${warning}`;
}

function isSummary(result: CampaignResult): result is CampaignResult & ResultsSummary {
  return result.files !== undefined;
}

const outcomeHeadlines: Record<CampaignResult['outcome'], (result: CampaignResult) => string> = {
  completed: () => 'Campaign completed',
  stopped: (result) => `Campaign stopped (${result.stopReason ?? 'no reason given'})`,
  'timed-out': (result) => `Campaign timed out: ${result.stopReason ?? 'the batch ran past its deadline'}`,
};

export function describeResult(result: CampaignResult): string {
  const head = outcomeHeadlines[result.outcome](result);
  const body = isSummary(result) ? `${head}\n${summaryTable(result)}` : `${head}; no calls were made`;
  const warnings = (result.warnings ?? []).map((warning) => `\nWarning: ${warning}`).join('');
  return `${body}${warnings}`;
}

export interface ProgressView {
  show(progress: CampaignProgress): void;
  close(): void;
}

/** Progress as it comes: a live bar on a terminal, one line per change elsewhere (CI logs, pipes). */
export function progressView(out: NodeJS.WriteStream = process.stderr): ProgressView {
  const bar = out.isTTY
    ? new SingleBar({
        stream: out,
        format: ' {bar} {value}/{total} calls finished · {phase} · {status}',
        hideCursor: true,
      })
    : undefined;
  let lastLine = '';
  return {
    show(progress) {
      const line = describeProgress(progress);
      if (bar) {
        const total = progress.csv?.rows ?? 0;
        if (!bar.isActive && total > 0) bar.start(total, 0, { phase: progress.phase, status: '' });
        bar.update(callsFinished(progress), { phase: progress.phase, status: progress.batchStatus ?? '' });
      }
      if (!bar?.isActive && line !== lastLine) out.write(`${line}\n`);
      lastLine = line;
    },
    close() {
      bar?.stop();
    },
  };
}

/** Follows a campaign until its workflow closes, showing its progress on `out` (default stderr). */
export async function watchCampaign(
  handle: CampaignHandle,
  options: { intervalMs?: number; out?: NodeJS.WriteStream } = {},
): Promise<CampaignProgress> {
  const view = progressView(options.out);
  try {
    return await followCampaign(handle, {
      onProgress: (progress) => view.show(progress),
      ...(options.intervalMs ? { intervalMs: options.intervalMs } : {}),
    });
  } finally {
    view.close();
  }
}
