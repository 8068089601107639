import { credits, utc } from '../platform/readable';
import { describeSeconds } from './charts';
import { maxListedValues, minCountToShow } from './extracted-data';
import type { CampaignReport, ExtractedField } from './report-data';

/**
 * The report as one HTML page that needs nothing else: styles inline, charts as inline SVG, no script, and a
 * Content-Security-Policy that would stop the page loading anything even if a value slipped through unescaped
 * (extracted values are the callee's words as an LLM wrote them down). Every text from the data is escaped.
 */

/** The SVG of each chart, drawn beforehand (drawing is asynchronous; assembling the page is not). */
export interface RenderedCharts {
  outcomes?: string;
  timeline?: string;
  talkTime?: string;
  /** By field name. */
  extracted: ReadonlyMap<string, string>;
}

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => entities[character] ?? character);
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

/** Bolna reports cost in cents; people read it in credits, as the CLI shows it. */
const creditsOrDash = (cents: number | null) => (cents === null ? '–' : credits(cents));

function duration(seconds: number | null): string {
  if (seconds === null) return '–';
  const rounded = Math.round(seconds);
  if (rounded < 60) return `${rounded}s`;
  const minutes = Math.floor(rounded / 60);
  return `${minutes}m ${String(rounded % 60).padStart(2, '0')}s`;
}

const utcOrDash = (iso: string | undefined) => (iso ? utc(iso) : '–');

const style = `
:root { color-scheme: light; --ink: #263238; --muted: #607d8b; --line: #eceff1; --card: #ffffff; --bg: #f5f7f8; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 28px 20px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; word-break: break-all; }
h2 { font-size: 17px; margin: 0 0 12px; }
h3 { font-size: 14px; margin: 0 0 6px; word-break: break-word; }
.sub, .note, figcaption, footer { color: var(--muted); font-size: 13px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px;
  margin: 16px 0; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px;
  background: none; border: 0; padding: 0; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.tile .value { font-size: 26px; font-weight: 600; }
.tile .label { color: var(--muted); font-size: 13px; }
.warnings { background: #fff8e1; border-color: #ffe082; }
.warnings ul { margin: 0; padding-left: 20px; }
figure { margin: 0; overflow-x: auto; }
svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: normal; width: 38%; }
td.number { font-variant-numeric: tabular-nums; }
.fields { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 14px; }
.field { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
@media print { body { background: white; } section, .tile { break-inside: avoid; } }
`;

const contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function reportHtml(report: CampaignReport, charts: RenderedCharts): string {
  const { campaign } = report;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Campaign report: ${escapeHtml(campaign.workflowId)}</title>
<style>${style}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(campaign.workflowId)}</h1>
<p class="sub">${escapeHtml(headline(report))}</p>
</header>
${tiles(report)}
${warnings(report)}
${chartSection('Outcomes', 'outcomes', charts.outcomes, 'Every call by how it ended; answered and voicemail split Bolna’s “completed”.')}
${chartSection('Calls over time', 'timeline', charts.timeline, 'Bars: calls ending in each interval, by outcome (their last update). Line: calls placed (dialled), by when Bolna created them.')}
${chartSection('Talk time', 'talk-time', charts.talkTime, talkTimeNote(report))}
${costSection(report)}
${extractedSection(report, charts.extracted)}
${campaignSection(report)}
<footer>Aggregates only: this report holds no phone number, name or transcript. The per-call results
(executions.jsonl and executions.csv, beside this file) do, and are for those allowed to see them.
Generated ${escapeHtml(utcOrDash(report.generatedAt))}.</footer>
</main>
</body>
</html>
`;
}

function headline(report: CampaignReport): string {
  const { campaign } = report;
  const parts = [
    campaign.batchIds.length === 1 ? `batch ${campaign.batchIds[0]}` : `${campaign.batchIds.length} batches`,
    campaign.agentId && `agent ${campaign.agentId}`,
    campaign.firstCallAt && `calls ${utcOrDash(campaign.firstCallAt)} to ${utcOrDash(campaign.lastCallAt)}`,
  ];
  return parts.filter(Boolean).join(' · ');
}

function tiles(report: CampaignReport): string {
  const calls = report.calls.total;
  const answered = report.outcomes.find(({ outcome }) => outcome === 'answered');
  const tile = (value: string, label: string) =>
    `<div class="tile"><div class="value">${escapeHtml(value)}</div><div class="label">${escapeHtml(label)}</div></div>`;
  return `<section class="tiles">
${tile(integer.format(calls), 'calls')}
${tile(integer.format(answered?.calls ?? 0), `answered (${percent.format(answered?.share ?? 0)})`)}
${tile(creditsOrDash(report.cost.totalCents), 'cost, Bolna credits')}
${tile(creditsOrDash(report.cost.perAnsweredCallCents), 'cost per answered call')}
${tile(duration(report.talkTime.meanSeconds), 'mean talk time')}
</section>`;
}

function warnings(report: CampaignReport): string {
  const list = report.campaign.warnings;
  if (list.length === 0) return '';
  const items = list.map((warning) => `<li>${escapeHtml(warning)}</li>`).join('\n');
  return `<section class="warnings"><h2>Warnings</h2><ul>\n${items}\n</ul></section>`;
}

function chartSection(title: string, id: string, svg: string | undefined, note: string): string {
  const body = svg
    ? `<figure data-chart="${id}">${svg}<figcaption>${escapeHtml(note)}</figcaption></figure>`
    : `<p class="note">No calls to show.</p>`;
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>\n${body}</section>`;
}

function talkTimeNote(report: CampaignReport): string {
  const talk = report.talkTime;
  const parts = [
    `${integer.format(talk.answeredCalls)} answered call(s): median ${duration(talk.medianSeconds)}, mean ${duration(talk.meanSeconds)}, longest ${duration(talk.maxSeconds)}, ${duration(talk.totalSeconds)} in all.`,
    talk.withoutDuration > 0 ? `${talk.withoutDuration} had no duration and are left out.` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

function rows(entries: [string, string][]): string {
  return entries
    .map(
      ([label, value]) =>
        `<tr><th>${escapeHtml(label)}</th><td class="number">${escapeHtml(value)}</td></tr>`,
    )
    .join('\n');
}

function costSection(report: CampaignReport): string {
  const { cost } = report;
  const entries: [string, string][] = [
    ['total (Bolna credits)', creditsOrDash(cost.totalCents)],
    ['per answered call', creditsOrDash(cost.perAnsweredCallCents)],
    ['per call', creditsOrDash(report.calls.total === 0 ? null : cost.totalCents / report.calls.total)],
  ];
  if (cost.callsWithoutCost > 0)
    entries.push(['calls without a cost (counted as 0)', integer.format(cost.callsWithoutCost)]);
  return `<section id="cost"><h2>Cost</h2><table>\n${rows(entries)}\n</table></section>`;
}

function extractedSection(report: CampaignReport, charts: ReadonlyMap<string, string>): string {
  const data = report.extractedData;
  const intro =
    `${integer.format(data.calls)} call(s) carried extracted data` +
    (data.unstructured > 0 ? `; ${integer.format(data.unstructured)} more carried it as plain text.` : '.') +
    ` A text value is shown only when short and given in at least ${minCountToShow} calls, the ${maxListedValues} most frequent per field` +
    ' (the rest are counted as other values); long texts, phone numbers, emails and links are counted, never shown.';
  const fields = data.fields.map((field) => extractedField(field, charts.get(field.field))).join('\n');
  const more =
    data.fieldsNotSummarised > 0
      ? `<p class="note">${integer.format(data.fieldsNotSummarised)} more field(s) not summarised.</p>`
      : '';
  return `<section id="extracted-data"><h2>What the agent extracted</h2>
<p class="note">${escapeHtml(intro)}</p>
<div class="fields">${fields}</div>${more}</section>`;
}

function extractedField(field: ExtractedField, svg: string | undefined): string {
  const entries: [string, string][] = [['calls with a value', integer.format(field.calls)]];
  if (field.empty > 0) entries.push(['empty', integer.format(field.empty)]);
  if (field.numbers) {
    const { count, min, max, mean } = field.numbers;
    entries.push([
      'numbers',
      `${integer.format(count)}: min ${decimal.format(min)}, mean ${decimal.format(mean)}, max ${decimal.format(max)}`,
    ]);
  }
  if (field.strings) {
    entries.push(['texts', integer.format(field.strings.count)]);
    if (field.strings.long > 0) entries.push(['long texts (not shown)', integer.format(field.strings.long)]);
  }
  if (field.identifierLike)
    entries.push(['numbers, emails or links (not shown)', integer.format(field.identifierLike)]);
  if (field.other) entries.push(['lists or nested objects', integer.format(field.other)]);
  const chart = svg ? `<figure data-chart="extracted:${escapeHtml(field.field)}">${svg}</figure>` : '';
  return `<div class="field"><h3>${escapeHtml(field.field)}</h3>${chart}<table>\n${rows(entries)}\n</table></div>`;
}

function campaignSection(report: CampaignReport): string {
  const { campaign } = report;
  const entries: [string, string][] = [
    ['workflow', campaign.workflowId],
    [campaign.batchIds.length === 1 ? 'batch' : 'batches', campaign.batchIds.join(', ') || '–'],
    ['batch status', campaign.batchStatus ?? '–'],
    ['agent', campaign.agentId ?? '–'],
    ['rows in the contact list', campaign.rows === undefined ? '–' : integer.format(campaign.rows)],
    ['calls with a result', integer.format(report.calls.total)],
    ['rows dropped by Bolna', integer.format(campaign.droppedRows)],
    ['rows without a result', integer.format(campaign.missingRows)],
    ['first call created', utcOrDash(campaign.firstCallAt)],
    ['last call updated', utcOrDash(campaign.lastCallAt)],
    ['timeline buckets', describeSeconds(report.timeline.bucketSeconds)],
  ];
  return `<section id="campaign"><h2>Campaign</h2><table>\n${rows(entries)}\n</table></section>`;
}
