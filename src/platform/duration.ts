import ms from 'ms';
import type { StringValue } from 'ms';

/**
 * Durations are written as Temporal's TypeScript SDK writes them (`'2h'`, `'90 minutes'`), read by the same parser
 * it uses (`ms`), so a value that works in a workflow option works here too.
 */

/** What `text` lasts in milliseconds; undefined when it is no duration (`ms` throws on an empty string). */
export function durationMs(text: string): number | undefined {
  try {
    const parsed = ms(text as StringValue);
    return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A span in words for messages: `10 minutes` reads better than 600000. */
export const inWords = (spanMs: number): string => ms(spanMs, { long: true });
