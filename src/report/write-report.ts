import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ownerOnly, ownerOnlyDirectory } from '../platform/file-modes';
import { extractedFieldChart, outcomesChart, talkTimeChart, timelineChart } from './charts';
import { readExecutionLines } from './read-executions';
import { renderSvg } from './render-svg';
import type { CampaignReport } from './report-data';
import { reportHtml } from './report-html';
import type { RenderedCharts } from './report-html';
import { ReportTally } from './report-tally';
import type { CampaignFacts } from './report-tally';

export type { CampaignFacts } from './report-tally';

export interface CampaignReportRequest {
  /** The campaign's executions files (JSON Lines, as collecting writes them), read in order, streamed. */
  executionsFiles: readonly string[];
  /** The header: who and what the campaign was (no per-call data). */
  campaign: CampaignFacts;
  /** Where `report.html` and `report.json` go (created owner-only if missing). */
  outputDir: string;
  /** The report's date (default: now). */
  generatedAt?: Date;
}

export interface WrittenReport {
  htmlPath: string;
  jsonPath: string;
  report: CampaignReport;
}

/**
 * Builds a campaign's report from one or more executions files and writes `report.json` (the figures) and
 * `report.html` (the same figures with charts, one self-contained page) into `outputDir`. The files are read one
 * line at a time and only aggregates are kept, so memory stays flat for files of hundreds of MB. Both reports are
 * written owner-only, under temporary names then renamed: a second run (a retried collect) replaces them whole,
 * and nobody sees half a file.
 */
export async function writeCampaignReport(request: CampaignReportRequest): Promise<WrittenReport> {
  const tally = new ReportTally();
  for await (const line of readExecutionLines(request.executionsFiles)) {
    if ('execution' in line) tally.add(line.execution);
    else tally.addUnreadableLine();
  }
  const report = tally.report(request.campaign, request.generatedAt ?? new Date());
  const html = reportHtml(report, await renderCharts(report));

  const htmlPath = join(request.outputDir, 'report.html');
  const jsonPath = join(request.outputDir, 'report.json');
  await mkdir(request.outputDir, { recursive: true, mode: ownerOnlyDirectory });
  await removeLeftovers(request.outputDir);
  await replaceFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  await replaceFile(htmlPath, html);
  return { htmlPath, jsonPath, report };
}

async function renderCharts(report: CampaignReport): Promise<RenderedCharts> {
  const draw = async (spec: ReturnType<typeof outcomesChart>) => (spec ? renderSvg(spec) : undefined);
  const extracted = new Map<string, string>();
  for (const field of report.extractedData.fields) {
    const svg = await draw(extractedFieldChart(field));
    if (svg) extracted.set(field.field, svg);
  }
  const [outcomes, timeline, talkTime] = [
    await draw(outcomesChart(report)),
    await draw(timelineChart(report)),
    await draw(talkTimeChart(report)),
  ];
  return {
    ...(outcomes ? { outcomes } : {}),
    ...(timeline ? { timeline } : {}),
    ...(talkTime ? { talkTime } : {}),
    extracted,
  };
}

const partialName = /^report\.(html|json)\.[^.]+\.partial$/;

/** Partial files of an attempt killed mid-write: nobody else will ever remove them. */
async function removeLeftovers(directory: string): Promise<void> {
  const leftovers = (await readdir(directory)).filter((name) => partialName.test(name));
  await Promise.all(leftovers.map((name) => rm(join(directory, name), { force: true })));
}

async function replaceFile(path: string, content: string): Promise<void> {
  // A name of its own per attempt: an attempt presumed dead may still be writing beside its retry.
  const partial = `${path}.${randomUUID().slice(0, 8)}.partial`;
  try {
    await writeFile(partial, content, { mode: ownerOnly });
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
