/**
 * Every request the simulator received, for tests to assert on what the product really sent (exactly one
 * `POST /batches`, no `scheduled_at` ending in `Z`, ...). Entries are appended on arrival, so a test can see a
 * request still in flight, and completed when it is answered. Never holds the Authorization header.
 */
export interface LoggedRequest {
  /** The simulator's clock when the request arrived (epoch ms). */
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** The HTTP status sent; `pending` while in flight; `dropped` (connection cut unprocessed) or `lost` (processed, answer withheld). */
  status: number | 'pending' | 'dropped' | 'lost';
  /**
   * Multipart fields other than the file: a field sent once is a string, one sent several times an array;
   * `from_phone_numbers`, repeatable by definition, is always an array.
   */
  fields?: Record<string, string | string[]>;
  /** The uploaded `file` part. */
  file?: { filename: string; bytes: number };
  /** The batch the request created or addressed. */
  batchId?: string;
  /** The message of an error answer, to tell why a request was refused. */
  message?: string;
  /** The fault injected into this request, scripted or random (soak runs count them). */
  fault?: 'server-error' | 'rate-limit' | 'latency' | 'drop' | 'lost-response';
  /** The wait a 429 asked for, in seconds (also when sent as an HTTP date), so a soak can check it was honoured. */
  retryAfterSeconds?: number;
}

const alwaysRepeated = new Set(['from_phone_numbers']);

export function loggedFields(fields: Record<string, string[]>): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, values]) => [
      name,
      values.length === 1 && !alwaysRepeated.has(name) ? values[0]! : values,
    ]),
  );
}
