import { contactNumberOf } from './batch-store';
import type { BatchStore } from './batch-store';
import { attemptsOf } from './call-plan';

/**
 * One call the simulator placed (dialled): a first attempt or one of Bolna's own retries. Tests of the product
 * check from these that no call was placed outside its recipient's calling window and that retries kept their
 * delay. A call never placed (uncallable, `balance-low`, still `rescheduled` or waiting for its retry, or cut off
 * by the batch's stop first) has no entry.
 */
export interface PlacedCall {
  readonly batchId: string;
  /** The execution's `id`. */
  readonly executionId: string;
  /** The recipient's number (E.164: Bolna places no other). */
  readonly toNumber: string;
  /** When it was placed (`initiated`), on Bolna's clock: the simulator's clock plus `clockOffsetMs`. */
  readonly placedAtMs: number;
  /** 0 for the first placement, n for Bolna's n-th retry (the execution's `retry_count` while it runs). */
  readonly attempt: number;
}

/** Every call placed by `nowMs`, in order of placement, deleted batches included (their calls were made). */
export function placedCalls(store: BatchStore, nowMs: number): PlacedCall[] {
  const placed: PlacedCall[] = [];
  for (const batch of store.list()) {
    const calls = batch.schedule?.calls ?? [];
    // A stop (or Bolna giving the batch up) cancels every placement still to come.
    const untilMs = Math.min(nowMs, store.end(batch)?.atMs ?? Infinity);
    calls.forEach((call, row) => {
      if (call.outcome === 'uncallable' || call.outcome === 'balance-low') return;
      attemptsOf(call).forEach((attempt, number) => {
        if (attempt.dialAtMs > untilMs) return;
        placed.push({
          batchId: batch.batchId,
          executionId: batch.executionIds[row]!,
          toNumber: contactNumberOf(batch, row),
          placedAtMs: attempt.dialAtMs,
          attempt: number,
        });
      });
    });
  }
  // Stable: calls placed at the same moment stay in batch and row order.
  return placed.sort((a, b) => a.placedAtMs - b.placedAtMs);
}
