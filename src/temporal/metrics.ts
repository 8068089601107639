import type { MetricMeter } from '@temporalio/common';
import { metricMeter as workflowMetricMeter } from '@temporalio/workflow';
import type { BolnaRequestRecord } from '../bolna/client';
import type { CallCounts, CampaignResult } from '../workflows/definitions';

/**
 * Every campaign metric the worker exports, defined once: name, type, unit, labels and meaning. The worker serves
 * them with the Temporal runtime's own metrics (`temporal_…`) on `BOLNA_METRICS_ADDRESS`
 * (docs/operating.md#metrics). Our counters end in `_total` as Prometheus names them; the SDK adds `namespace` and
 * `taskQueue` (and `workflowType` or `activityType`) to what workflows and activities record. No label ever holds an id, a name or a
 * number: each has a handful of values, so no series is born per campaign or per call.
 *
 * Pure and free of I/O: workflow code imports it for `countCampaignEnd`.
 */

interface MetricDefinition {
  name: string;
  kind: 'counter' | 'gauge' | 'histogram';
  unit: string;
  description: string;
  /** The labels we set; the SDK may add its own. */
  labels: readonly string[];
}

/**
 * Campaigns that ended, by `outcome`: `completed`, `stopped` (a stop signal or a cancel), `timed-out` or `failed`.
 * Recorded by the workflow as it ends; a replay records nothing, so each end counts once.
 */
const campaignsEnded: MetricDefinition = {
  name: 'bolna_campaigns_ended_total',
  kind: 'counter',
  unit: 'campaigns',
  description: 'Campaigns that ended, by outcome (completed, stopped, timed-out, failed)',
  labels: ['outcome'],
};

/**
 * Campaigns running now (Temporal's view: `batchCampaign` workflows open on the worker's task queue), counted
 * through visibility by every worker every `runningCampaignsRefreshMs`. Every worker reports the same number, and a
 * restart loses nothing: read it with `max`, not `sum`.
 */
const campaignsRunning: MetricDefinition = {
  name: 'bolna_campaigns_running',
  kind: 'gauge',
  unit: 'campaigns',
  description: 'batchCampaign workflows running on this task queue, as Temporal visibility counts them',
  labels: ['namespace', 'taskQueue'],
};

/**
 * Calls by Bolna's call `status` (`completed`, `no-answer`, `busy`, `failed`, `balance-low`, ...), counted when a
 * campaign's results are collected.
 */
const calls: MetricDefinition = {
  name: 'bolna_calls_total',
  kind: 'counter',
  unit: 'calls',
  description: "Calls by Bolna's final call status, counted when a campaign's results are collected",
  labels: ['status'],
};

/**
 * Requests to Bolna's API by `endpoint` (method and route, ids as placeholders) and `status` (the HTTP status, or
 * `no-response` when none came), from every activity and retry.
 */
const bolnaRequests: MetricDefinition = {
  name: 'bolna_api_requests_total',
  kind: 'counter',
  unit: 'requests',
  description: "Requests to Bolna's API by endpoint and HTTP status (no-response: connection failed)",
  labels: ['endpoint', 'status'],
};

/** How long Bolna took to answer (to the response headers), by `endpoint`. */
const bolnaRequestDuration: MetricDefinition = {
  name: 'bolna_api_request_duration_milliseconds',
  kind: 'histogram',
  unit: 'ms',
  description: "Time to the headers of Bolna's answer, by endpoint",
  labels: ['endpoint'],
};

/** Activity attempts after the first (Temporal retrying a step), by the `activityType` the SDK adds. */
const activityRetries: MetricDefinition = {
  name: 'bolna_activity_retries_total',
  kind: 'counter',
  unit: 'attempts',
  description: 'Activity attempts after the first, by activity type',
  labels: [],
};

/** Every campaign metric, for docs/operating.md#metrics and its test. */
export const campaignMetrics: readonly MetricDefinition[] = [
  campaignsEnded,
  campaignsRunning,
  calls,
  bolnaRequests,
  bolnaRequestDuration,
  activityRetries,
];

/** How often each worker counts the running campaigns. */
export const runningCampaignsRefreshMs = 10_000;

type CampaignOutcome = CampaignResult['outcome'] | 'failed';

/** Workflow code only: counts the campaign's end. Replay-safe (the SDK records nothing while replaying). */
export function countCampaignEnd(outcome: CampaignOutcome): void {
  counter(workflowMetricMeter, campaignsEnded).add(1, { outcome });
}

/** Counts a collected campaign's calls by status (`meter`: the activity's, `Context.current().metricMeter`). */
export function countCalls(meter: MetricMeter, counts: CallCounts): void {
  const instrument = counter(meter, calls);
  for (const [status, count] of Object.entries(counts)) if (count > 0) instrument.add(count, { status });
}

/** Counts one activity attempt if it is a retry (`meter`: the activity's, which adds `activityType`). */
export function countAttempt(meter: MetricMeter, attempt: number): void {
  if (attempt > 1) counter(meter, activityRetries).add(1);
}

/** The Bolna client's `onRequest`, recording on `meter` (the worker's runtime meter). */
export function bolnaRequestRecorder(meter: MetricMeter): (request: BolnaRequestRecord) => void {
  const requests = counter(meter, bolnaRequests);
  const duration = meter.createHistogram(
    bolnaRequestDuration.name,
    'float',
    bolnaRequestDuration.unit,
    bolnaRequestDuration.description,
  );
  return ({ endpoint, status, durationMs }) => {
    requests.add(1, { endpoint, status: status === undefined ? 'no-response' : String(status) });
    duration.record(durationMs, { endpoint });
  };
}

/** Sets the running-campaigns gauge (`meter`: the worker's runtime meter). */
export function runningCampaignsGauge(
  meter: MetricMeter,
  tags: { namespace: string; taskQueue: string },
): (running: number) => void {
  const gauge = meter.createGauge(
    campaignsRunning.name,
    'int',
    campaignsRunning.unit,
    campaignsRunning.description,
  );
  return (running) => gauge.set(running, tags);
}

function counter(meter: MetricMeter, definition: MetricDefinition) {
  return meter.createCounter(definition.name, definition.unit, definition.description);
}
