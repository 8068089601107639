export interface TimeWindow {
  from: Date;
  to: Date;
}

/**
 * Cuts `fromMs`..`toMs` into consecutive windows of at most `spanMs` (the last one shorter), for listings that
 * refuse a wider `from`/`to`. Neighbours share their boundary, so nothing falls between two windows.
 */
export function timeWindows(fromMs: number, toMs: number, spanMs: number): TimeWindow[] {
  if (!(spanMs > 0)) throw new RangeError('spanMs must be positive');
  const windows: TimeWindow[] = [];
  let start = fromMs;
  do {
    const end = Math.min(start + spanMs, toMs);
    windows.push({ from: new Date(start), to: new Date(end) });
    start = end;
  } while (start < toMs);
  return windows;
}
