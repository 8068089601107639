import { startSimulator } from '../../simulator/server';
import type { RunningSimulator, SimulatorOptions } from '../../simulator/server';
import { testAgentId as agentId, testApiKey as apiKey, threeContactsCsv } from '../support/constants';
import { ManualClock } from '../support/manual-clock';

/**
 * Raw HTTP against the simulator (global fetch over loopback, no client in between), so the tests pin down what
 * the simulator itself accepts and answers.
 */

export { testAgentId as agentId, testApiKey as apiKey } from '../support/constants';
export const minute = 60_000;
/** 12:00 UTC: Bolna's 10-minute marks fall on 12:10, 12:20, ... */
export const t0 = Date.parse('2026-06-23T12:00:00+00:00');
export const threeContacts = threeContactsCsv;

export interface ApiResponse {
  status: number;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
  headers: Headers;
}

/** The parsed body as an object, for the many assertions that read fields of it. */
export function fieldsOf(response: ApiResponse): Record<string, unknown> {
  return response.json as Record<string, unknown>;
}

export class SimulatorApi {
  constructor(
    readonly simulator: RunningSimulator,
    readonly clock: ManualClock,
  ) {}

  async call(
    method: string,
    path: string,
    options: { body?: FormData | string; headers?: Record<string, string>; auth?: string | null } = {},
  ): Promise<ApiResponse> {
    const auth = options.auth === undefined ? `Bearer ${apiKey}` : options.auth;
    const response = await fetch(this.simulator.url + path, {
      method,
      body: options.body ?? null,
      headers: { ...(auth === null ? {} : { authorization: auth }), ...options.headers },
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json, headers: response.headers };
  }

  async createBatch(csv = threeContacts, fields: Record<string, string | string[]> = {}): Promise<string> {
    const created = await this.call('POST', '/batches', { body: csvForm(csv, fields) });
    expect(created.status).toBe(201);
    return fieldsOf(created).batch_id as string;
  }

  schedule(batchId: string, scheduledAt: string, extra: Record<string, string> = {}): Promise<ApiResponse> {
    return this.call('POST', `/batches/${batchId}/schedule`, {
      body: form({ scheduled_at: scheduledAt, ...extra }),
    });
  }

  async batch(batchId: string): Promise<Record<string, unknown>> {
    const response = await this.call('GET', `/batches/${batchId}`);
    expect(response.status).toBe(200);
    return fieldsOf(response);
  }

  async executions(batchId: string): Promise<Execution[]> {
    const response = await this.call('GET', `/batches/${batchId}/executions`);
    expect(response.status).toBe(200);
    return response.json as Execution[];
  }
}

/** The execution fields the tests read. */
export interface Execution {
  id: string;
  status: string;
  error_message: string | null;
  conversation_duration: number;
  total_cost: number;
  cost_breakdown: Record<string, number>;
  transcript: string | null;
  telephony_data: Record<string, unknown> | null;
  context_details: { recipient_data: Record<string, string> };
  [field: string]: unknown;
}

/** A simulator on a manual clock at t0 with the test key, durations fixed unless the test says otherwise. */
export async function startApi(options: SimulatorOptions = {}): Promise<SimulatorApi> {
  const clock = new ManualClock(t0);
  const simulator = await startSimulator({
    apiKey,
    clock,
    ...options,
    calls: {
      concurrency: 2,
      spacingMs: 1_000,
      dialMs: 2_000,
      ringMs: 10_000,
      talkMs: 60_000,
      postProcessingMs: 150_000,
      ...options.calls,
    },
  });
  return new SimulatorApi(simulator, clock);
}

export function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) data.append(name, item);
  }
  return data;
}

export function csvForm(
  csv: string | Uint8Array,
  fields: Record<string, string | string[]> = {},
  fileName = 'contacts.csv',
): FormData {
  const data = form({ agent_id: agentId, ...fields });
  data.append('file', new Blob([csv], { type: 'text/csv' }), fileName);
  return data;
}

/** A hand-built multipart body, for parts FormData cannot express (a file part without a filename, say). */
export function rawMultipart(parts: { headers: string; content: string }[]): {
  body: string;
  headers: Record<string, string>;
} {
  const boundary = 'simulator-test-boundary';
  const body =
    parts.map((part) => `--${boundary}\r\n${part.headers}\r\n\r\n${part.content}\r\n`).join('') +
    `--${boundary}--\r\n`;
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, '+00:00');
}

/**
 * Jest's asymmetric matchers, typed `unknown` instead of `any`, so they can sit inside expected objects under
 * the strict lint rules.
 */
export const like = {
  any: (type: unknown): unknown => expect.any(type),
  stringMatching: (pattern: RegExp): unknown => expect.stringMatching(pattern),
  stringContaining: (text: string): unknown => expect.stringContaining(text),
  objectContaining: (object: Record<string, unknown>): unknown => expect.objectContaining(object),
};
