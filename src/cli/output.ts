import { SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import { isTerminalCallStatus } from '../bolna/statuses';
import { followCampaign } from '../campaigns';
import type { CampaignHandle, StopResult } from '../campaigns';
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

export function describeStop(stop: StopResult): string {
  if (stop.stopRequested) {
    return `Stop sent to ${stop.workflowId}: it stops its batch and collects the calls made so far`;
  }
  if (stop.status) return `${stop.workflowId} already ended (${stop.status.toLowerCase()}); nothing to stop`;
  return `${stop.workflowId} is already ${stop.phase ?? 'finishing'}: nothing left to stop`;
}

/** Colours only on a terminal: in logs and pipes the escape codes are noise. */
const tableStyle = () => (process.stdout.isTTY ? {} : { style: { head: [], border: [] } });

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
    { cost: `${(summary.totalCostCents / 100).toFixed(2)} (Bolna credits)` },
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
