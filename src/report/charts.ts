import type { Config, TopLevelSpec } from 'vega-lite';
import { outcomeColour } from './outcomes';
import type { CampaignReport, ExtractedField } from './report-data';

/**
 * The report's charts as Vega-Lite specs, from report.json's figures (so the pictures and the numbers cannot
 * disagree). Data is inline: rendering loads nothing. Each function returns undefined when there is nothing to draw.
 */

const font = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const ink = '#37474f';
const placedColour = '#1565c0';
const otherValuesColour = '#b0bec5';
const valueColour = '#00897b';

export const chartConfig: Config = {
  font,
  background: 'white',
  view: { stroke: null },
  axis: {
    labelColor: ink,
    titleColor: ink,
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 'normal',
    gridColor: '#eceff1',
    domainColor: '#cfd8dc',
    tickColor: '#cfd8dc',
  },
  legend: { labelColor: ink, titleColor: ink, labelFontSize: 11, orient: 'bottom', title: null },
  text: { color: ink, fontSize: 11 },
};

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

export function outcomesChart(report: CampaignReport): TopLevelSpec | undefined {
  if (report.outcomes.length === 0) return undefined;
  const values = report.outcomes.map(({ outcome, calls, share }) => ({
    outcome,
    calls,
    label: `${calls} · ${percent(share)}`,
  }));
  const domain = values.map(({ outcome }) => outcome);
  return {
    width: 520,
    height: { step: 26 },
    data: { values },
    encoding: {
      y: { field: 'outcome', type: 'nominal', sort: domain, title: null, axis: { labelFontSize: 12 } },
      x: { field: 'calls', type: 'quantitative', title: 'calls', axis: { tickMinStep: 1 } },
    },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 2 },
        encoding: {
          color: {
            field: 'outcome',
            type: 'nominal',
            scale: { domain, range: domain.map(outcomeColour) },
            legend: null,
          },
        },
      },
      { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { text: { field: 'label' } } },
    ],
  };
}

export function timelineChart(report: CampaignReport): TopLevelSpec | undefined {
  const { buckets, bucketSeconds } = report.timeline;
  if (buckets.length === 0) return undefined;
  const outcomes = report.outcomes.map(({ outcome }) => outcome);
  const ended = buckets.flatMap(({ start, end, ended: byOutcome }) =>
    outcomes
      .filter((outcome) => (byOutcome[outcome] ?? 0) > 0)
      .map((outcome, rank) => ({ start, end, series: outcome, rank, calls: byOutcome[outcome] ?? 0 })),
  );
  const placed = buckets.map(({ start, placed: calls }) => ({
    at: new Date(Date.parse(start) + (bucketSeconds * 1000) / 2).toISOString(),
    series: 'placed',
    calls,
  }));
  const domain = [...outcomes.filter((outcome) => ended.some(({ series }) => series === outcome)), 'placed'];
  const colour = {
    field: 'series',
    type: 'nominal',
    scale: {
      domain,
      range: domain.map((series) => (series === 'placed' ? placedColour : outcomeColour(series))),
    },
  } as const;
  const spanMs = Date.parse(buckets[buckets.length - 1]!.end) - Date.parse(buckets[0]!.start);
  const time = {
    type: 'temporal',
    scale: { type: 'utc' },
    // Times of day for a campaign within a day; dates too for a longer one. Always UTC, whatever the reader's zone.
    axis: { format: spanMs <= 86_400_000 ? '%H:%M' : '%b %d %H:%M', labelOverlap: true },
    title: `time (UTC), ${describeSeconds(bucketSeconds)} buckets`,
  } as const;
  return {
    width: 620,
    height: 220,
    layer: [
      {
        data: { values: ended },
        // With x and x2 both given, Vega-Lite would otherwise lay the bars along x.
        mark: { type: 'bar', orient: 'vertical' },
        encoding: {
          x: { field: 'start', ...time },
          x2: { field: 'end' },
          y: {
            field: 'calls',
            type: 'quantitative',
            stack: 'zero',
            title: 'calls',
            axis: { tickMinStep: 1 },
          },
          color: colour,
          // The report's outcome order from the axis up: answered at the bottom.
          order: { field: 'rank', sort: 'ascending' },
        },
      },
      {
        data: { values: placed },
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          x: { field: 'at', ...time },
          y: { field: 'calls', type: 'quantitative' },
          color: colour,
        },
      },
    ],
  };
}

export function talkTimeChart(report: CampaignReport): TopLevelSpec | undefined {
  const { bins } = report.talkTime;
  if (bins.length === 0) return undefined;
  const step = (bins[0]?.toSeconds ?? 1) - (bins[0]?.fromSeconds ?? 0);
  const unit = step >= 60 ? { seconds: 60, name: 'minutes' } : { seconds: 1, name: 'seconds' };
  const values = bins.map(({ fromSeconds, toSeconds, calls }) => ({
    from: fromSeconds / unit.seconds,
    to: toSeconds / unit.seconds,
    calls,
  }));
  return {
    width: 620,
    height: 200,
    data: { values },
    mark: { type: 'bar', color: outcomeColour('answered'), binSpacing: 1 },
    encoding: {
      x: {
        field: 'from',
        type: 'quantitative',
        bin: { binned: true, step: step / unit.seconds },
        title: `talk time of answered calls (${unit.name})`,
      },
      x2: { field: 'to' },
      y: { field: 'calls', type: 'quantitative', title: 'calls', axis: { tickMinStep: 1 } },
    },
  };
}

/** A small bar chart of a field's values (booleans and listed short strings), or undefined if none are shown. */
export function extractedFieldChart(field: ExtractedField): TopLevelSpec | undefined {
  const values = [
    ...(field.booleans
      ? [
          { value: 'true', calls: field.booleans.true, kind: 'value' },
          { value: 'false', calls: field.booleans.false, kind: 'value' },
        ]
      : []),
    ...(field.strings?.values ?? []).map(({ value, count }) => ({ value, calls: count, kind: 'value' })),
  ];
  if (values.length === 0) return undefined;
  const others = field.strings?.otherValues ?? 0;
  if (field.strings && others > 0) values.push({ value: 'other values', calls: others, kind: 'other' });
  return {
    width: 300,
    height: { step: 20 },
    data: { values },
    encoding: {
      y: { field: 'value', type: 'nominal', sort: null, title: null, axis: { labelLimit: 160 } },
      x: { field: 'calls', type: 'quantitative', title: 'calls', axis: { tickMinStep: 1 } },
    },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 2 },
        encoding: {
          color: {
            field: 'kind',
            type: 'nominal',
            scale: { domain: ['value', 'other'], range: [valueColour, otherValuesColour] },
            legend: null,
          },
        },
      },
      { mark: { type: 'text', align: 'left', dx: 3 }, encoding: { text: { field: 'calls' } } },
    ],
  };
}

/** `90` → `90 s`, `600` → `10 min`, `7200` → `2 h`, `172800` → `2 d`. */
export function describeSeconds(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
