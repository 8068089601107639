import type { MetricKind, MetricTags } from '@temporalio/common';
import { DefaultLogger, MetricsBuffer, Runtime } from '@temporalio/worker';

/** One value recorded on a metric, as the Temporal runtime received it. */
export interface RecordedMetric {
  name: string;
  kind: MetricKind;
  unit: string | undefined;
  value: number;
  tags: MetricTags;
}

/**
 * Installs this test file's Temporal runtime with its metrics kept in a buffer instead of exported, so a test reads
 * exactly what was recorded through the real SDK meter (`Runtime.instance().metricMeter`). Returns the reader: each
 * call drains what was recorded since the last one.
 */
export function installMetricsBuffer(): () => RecordedMetric[] {
  const buffer = new MetricsBuffer();
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { metrics: { buffer } } });
  return () =>
    [...buffer.retrieveUpdates()].map(({ metric, value, attributes }) => ({
      name: metric.name,
      kind: metric.kind,
      unit: metric.unit,
      value,
      tags: { ...attributes },
    }));
}
