import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Runtime } from '@temporalio/worker';
import {
  bolnaRequestRecorder,
  campaignMetrics,
  countCalls,
  runningCampaignsGauge,
} from '../../src/temporal/metrics';
import { installMetricsBuffer } from '../support/metrics-buffer';

/** The campaign metrics as the worker records them, read back from the real Temporal runtime's meter. */

const recorded = installMetricsBuffer();
const meter = () => Runtime.instance().metricMeter;

afterEach(() => void recorded());

test('every campaign metric is defined once, under our prefix, described, with a unit', () => {
  const names = campaignMetrics.map((metric) => metric.name);
  expect(new Set(names).size).toBe(names.length);
  for (const metric of campaignMetrics) {
    expect(metric.name).toMatch(/^bolna_[a-z_]+$/);
    // Prometheus names counters `_total`; nothing else may look like one.
    expect(metric.name.endsWith('_total')).toBe(metric.kind === 'counter');
    expect(metric.description.length).toBeGreaterThan(20);
    expect(metric.unit).not.toBe('');
  }
});

test('the metrics table of docs/operating.md lists every campaign metric once, with its type and labels', async () => {
  const readme = await readFile(join(__dirname, '..', '..', 'docs', 'operating.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `(bolna_\w+)` +\| (\w+) +\| ([^|]*?) +\|/gm)].map(
    ([, name, kind, labels]) => [
      name,
      kind,
      labels === '—' ? [] : labels!.split(', ').map((l) => l.slice(1, -1)),
    ],
  );
  expect(rows).toEqual(campaignMetrics.map((metric) => [metric.name, metric.kind, metric.labels]));
});

test('Bolna requests are counted by endpoint and status (no-response when none came) and timed', () => {
  const record = bolnaRequestRecorder(meter());
  record({ endpoint: 'GET /batches/{batch_id}', status: 200, durationMs: 12.5 });
  record({ endpoint: 'GET /batches/{batch_id}', status: undefined, durationMs: 10_000.25 });
  record({ endpoint: 'POST /batches', status: 429, durationMs: 3 });
  expect(recorded()).toEqual([
    counted('bolna_api_requests_total', 1, { endpoint: 'GET /batches/{batch_id}', status: '200' }),
    timed(12.5, { endpoint: 'GET /batches/{batch_id}' }),
    counted('bolna_api_requests_total', 1, { endpoint: 'GET /batches/{batch_id}', status: 'no-response' }),
    timed(10_000.25, { endpoint: 'GET /batches/{batch_id}' }),
    counted('bolna_api_requests_total', 1, { endpoint: 'POST /batches', status: '429' }),
    timed(3, { endpoint: 'POST /batches' }),
  ]);
});

test('collected calls are counted by status; statuses with no call add nothing', () => {
  countCalls(meter(), { completed: 7, 'no-answer': 2, busy: 0 });
  expect(recorded()).toEqual([
    counted('bolna_calls_total', 7, { status: 'completed' }),
    counted('bolna_calls_total', 2, { status: 'no-answer' }),
  ]);
});

test('the running-campaigns gauge is set, labelled with the namespace and task queue', () => {
  const report = runningCampaignsGauge(meter(), { namespace: 'default', taskQueue: 'bolna-batches' });
  report(4);
  report(0);
  const tags = { namespace: 'default', taskQueue: 'bolna-batches' };
  expect(recorded()).toEqual([
    { name: 'bolna_campaigns_running', kind: 'gauge', unit: 'campaigns', value: 4, tags },
    { name: 'bolna_campaigns_running', kind: 'gauge', unit: 'campaigns', value: 0, tags },
  ]);
});

const units: Record<string, string> = { bolna_api_requests_total: 'requests', bolna_calls_total: 'calls' };

function counted(name: string, value: number, tags: Record<string, string>) {
  return { name, kind: 'counter', unit: units[name], value, tags };
}

function timed(value: number, tags: Record<string, string>) {
  return { name: 'bolna_api_request_duration_milliseconds', kind: 'histogram', unit: 'ms', value, tags };
}
