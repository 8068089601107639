/**
 * Failure injection. Scripted faults are consumed in order by the first requests that match them, so a test
 * says exactly which request fails and how; random faults (settings.faults) are for soak runs.
 */
export type FaultKind = 'server-error' | 'rate-limit' | 'latency' | 'drop' | 'lost-response';

export interface Fault {
  kind: FaultKind;
  method?: string;
  /** Exact path, or a pattern. */
  path?: string | RegExp;
  /** How many matching requests it applies to. Default 1. */
  times?: number;
  /** server-error: 500 (default), 502 or 503. */
  status?: 500 | 502 | 503;
  /** rate-limit: the Retry-After value (default 1 s). */
  retryAfterSeconds?: number;
  /** rate-limit: send Retry-After as an HTTP date instead of seconds. */
  retryAfterAsDate?: boolean;
  /** latency: delay before answering. */
  latencyMs?: number;
}

export class FaultQueue {
  readonly #pending: (Fault & { remaining: number })[] = [];

  add(fault: Fault): void {
    this.#pending.push({ ...fault, remaining: fault.times ?? 1 });
  }

  /** The next fault for this request, if any, used up as it is returned. */
  take(method: string, path: string): Fault | undefined {
    const index = this.#pending.findIndex(
      (fault) =>
        (fault.method === undefined || fault.method === method) &&
        (fault.path === undefined ||
          (typeof fault.path === 'string' ? fault.path === path : fault.path.test(path))),
    );
    if (index < 0) return undefined;
    const fault = this.#pending[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#pending.splice(index, 1);
    return fault;
  }

  clear(): void {
    this.#pending.length = 0;
  }
}
