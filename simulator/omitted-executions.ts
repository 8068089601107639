import type { SimBatch } from './batch-store';
import type { SimulatorSettings } from './settings';

/**
 * How many of a batch's executions (from its first row on) a listing shows: all of them, unless the
 * `omittedExecutions` variant silently leaves out the last rows' from the batch's listing or from every listing.
 */
export function listedExecutions(
  batch: SimBatch,
  variants: SimulatorSettings['variants'],
  listing: 'batch-listing' | 'agent-listing',
): number {
  const { count, from } = variants.omittedExecutions;
  const omitted = from === 'every-listing' || listing === 'batch-listing' ? count : 0;
  return Math.max(0, batch.rows.length - omitted);
}
