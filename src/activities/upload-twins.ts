import type { Batch } from '../bolna/schemas';
import { parseBolnaTimestamp } from '../bolna/timestamps';

export interface UploadTwins {
  /** The batch the campaign keeps: the oldest uploaded under its file name. */
  keep: Batch | undefined;
  /** Younger batches of the same name that were never scheduled: made by our own retries, they called nobody. */
  deletable: Batch[];
}

/**
 * Which batch of an agent's list is the campaign's, and which are twins a retried upload made. Only a batch still
 * `created` (never scheduled) may be deleted; anything else is left alone.
 */
export function sortOutUploadTwins(batches: readonly Batch[], fileName: string): UploadTwins {
  const [keep, ...younger] = batches
    .filter((batch) => batch.file_name === fileName)
    .sort(
      (a, b) =>
        (parseBolnaTimestamp(a.created_at) ?? 0) - (parseBolnaTimestamp(b.created_at) ?? 0) ||
        a.batch_id.localeCompare(b.batch_id),
    );
  return { keep, deletable: younger.filter((twin) => twin.status === 'created') };
}
