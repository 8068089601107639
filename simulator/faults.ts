import { z } from 'zod';
import type { Random } from './random';
import type { SimulatorSettings } from './settings';

/**
 * Failure injection. Scripted faults are consumed, in the order they were injected, by the first requests that
 * match them, so a test says exactly which request fails and how; random faults (`settings.faults`) are drawn
 * from the seed, for soak runs that still repeat exactly.
 */

const target = {
  method: z.string().min(1).optional(),
  /** The exact path (no query), or a pattern tested against it. */
  path: z.union([z.string().min(1), z.instanceof(RegExp)]).optional(),
  /** How many matching requests it applies to (default 1). */
  times: z.number().int().positive().default(1),
};

const faultSchema = z.discriminatedUnion('kind', [
  /** Answered with a 5xx without being processed. */
  z.strictObject({
    kind: z.literal('server-error'),
    ...target,
    status: z.union([z.literal(500), z.literal(502), z.literal(503)]).default(500),
  }),
  /** Answered with a 429 without being processed. */
  z.strictObject({
    kind: z.literal('rate-limit'),
    ...target,
    retryAfterSeconds: z.number().int().nonnegative().default(1),
    /** Send Retry-After as an HTTP date (relative to the real time, which is what a client compares it with). */
    retryAfterAsDate: z.boolean().default(false),
  }),
  /** Processed normally after a delay in real milliseconds (to trip client timeouts). */
  z.strictObject({ kind: z.literal('latency'), ...target, latencyMs: z.number().int().nonnegative() }),
  /** The connection is cut before anything is processed. */
  z.strictObject({ kind: z.literal('drop'), ...target }),
  /** The request IS processed (a batch really created), then the connection is cut: the answer is lost. */
  z.strictObject({ kind: z.literal('lost-response'), ...target }),
]);

export type Fault = z.input<typeof faultSchema>;
type ParsedFault = z.output<typeof faultSchema>;

export type FaultOutcome =
  | { kind: 'none' }
  | { kind: 'drop' }
  | { kind: 'lost-response' }
  | { kind: 'server-error'; status: 500 | 502 | 503 }
  | { kind: 'rate-limit'; retryAfterSeconds: number; retryAfterAsDate: boolean };

/** What happens to one request: an added delay, then either normal processing or a fault. */
export interface FaultDecision {
  latencyMs: number;
  outcome: FaultOutcome;
}

export class FaultInjector {
  readonly #pending: { fault: ParsedFault; remaining: number }[] = [];

  constructor(private readonly random: Random) {}

  inject(fault: Fault): void {
    const parsed = faultSchema.safeParse(fault);
    if (!parsed.success) throw new TypeError(`Invalid fault:\n${z.prettifyError(parsed.error)}`);
    this.#pending.push({ fault: parsed.data, remaining: parsed.data.times });
  }

  /**
   * Decides the fate of one request: the first matching scripted fault (used up as it is taken) or else a random
   * draw. Every request draws exactly one number, whatever the rates, so the sequence depends only on the order
   * of requests.
   */
  decide(method: string, path: string, rates: SimulatorSettings['faults']): FaultDecision {
    const roll = this.random();
    const scripted = this.#take(method, path);
    return {
      latencyMs: rates.latencyMs + (scripted?.kind === 'latency' ? scripted.latencyMs : 0),
      outcome: scripted ? scriptedOutcome(scripted) : randomOutcome(roll, rates),
    };
  }

  #take(method: string, path: string): ParsedFault | undefined {
    const index = this.#pending.findIndex(({ fault }) => matches(fault, method, path));
    const entry = this.#pending[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.#pending.splice(index, 1);
    return entry.fault;
  }
}

function matches(fault: ParsedFault, method: string, path: string): boolean {
  if (fault.method !== undefined && fault.method.toUpperCase() !== method) return false;
  if (fault.path === undefined) return true;
  if (typeof fault.path === 'string') return fault.path === path;
  // A /g or /y pattern remembers where it last matched; every request must be tested from the start.
  fault.path.lastIndex = 0;
  return fault.path.test(path);
}

function scriptedOutcome(fault: ParsedFault): FaultOutcome {
  switch (fault.kind) {
    case 'latency':
      return { kind: 'none' };
    case 'server-error':
      return { kind: 'server-error', status: fault.status };
    case 'rate-limit':
      return {
        kind: 'rate-limit',
        retryAfterSeconds: fault.retryAfterSeconds,
        retryAfterAsDate: fault.retryAfterAsDate,
      };
    default:
      return { kind: fault.kind };
  }
}

/** One roll picks the fault; the roll's position inside the 429 band picks its Retry-After, so no extra draw. */
function randomOutcome(roll: number, rates: SimulatorSettings['faults']): FaultOutcome {
  let band = 0;
  if (roll < (band += rates.dropRate)) return { kind: 'drop' };
  if (roll < (band += rates.lostResponseRate)) return { kind: 'lost-response' };
  if (roll < (band += rates.serverErrorRate)) return { kind: 'server-error', status: 503 };
  if (roll < band + rates.rateLimitRate) {
    const { min, max } = rates.retryAfterSeconds;
    const within = (roll - band) / rates.rateLimitRate;
    return {
      kind: 'rate-limit',
      retryAfterSeconds: Math.min(max, min + Math.floor(within * (max - min + 1))),
      retryAfterAsDate: false,
    };
  }
  return { kind: 'none' };
}
