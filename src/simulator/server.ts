import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { systemClock } from '../clock';
import type { Clock } from '../clock';
import { BatchStore, iso } from './batch-store';
import type { SimBatch } from './batch-store';
import { FaultQueue } from './faults';
import type { Fault } from './faults';
import { readMultipart } from './multipart';
import { seededRandom } from './random';
import { decideSchedule } from './schedule-rules';
import { settingsSchema } from './settings';
import type { SimulatorSettings, SimulatorSettingsInput } from './settings';

/**
 * A Bolna batch API simulator on node:http: the documented paths, status codes, bodies and rules, batches and
 * calls that move on the simulator's clock, failure injection and a request log. As strict as Bolna's docs, never
 * kinder: our product is tested against it, so every leniency here would be a production bug hidden.
 */

export interface SimulatorOptions extends SimulatorSettingsInput {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** When set, only this bearer key is accepted; otherwise any non-empty key. */
  apiKey?: string;
  clock?: Clock;
  seed?: number;
}

export interface LoggedRequest {
  /** Simulator clock when the request arrived (ms). */
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** The HTTP status sent, or what happened instead. */
  status: number | 'dropped' | 'lost';
  /** Multipart fields (a field sent once is a string, repeated ones an array); never the Authorization header. */
  fields?: Record<string, string | string[]>;
  file?: { filename: string; bytes: number };
  batchId?: string;
}

export interface RunningSimulator {
  url: string;
  port: number;
  readonly requests: readonly LoggedRequest[];
  /** Live settings: change them mid-test (e.g. variants). */
  settings: SimulatorSettings;
  injectFault(fault: Fault): void;
  readonly batches: BatchStore;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Streams a large JSON array instead of serialising it at once. */
  stream?: (res: ServerResponse) => Promise<void>;
}

class HttpReply extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

const json = (status: number, body: unknown): Reply => ({ status, body });
const reject = (status: number, body: unknown): never => {
  throw new HttpReply(json(status, body));
};
const badRequest = (message: string): never => reject(400, { error: 'Bad Request', message });
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const { host = '127.0.0.1', port = 0, apiKey, clock = systemClock, seed = 1, ...rest } = options;
  const settings = settingsSchema.parse(rest);
  const store = new BatchStore(settings, seed);
  const faults = new FaultQueue();
  const random = seededRandom(seed ^ 0x5eed);
  const requests: LoggedRequest[] = [];
  const windows = new Map<string, { minute: number; count: number }>();
  /** Cancels injected latency on close, so nothing outlives the simulator. */
  const closing = new AbortController();

  /** Fixed one-minute windows per key on the simulator clock, as Bolna limits per organisation. */
  function overRateLimit(key: string, nowMs: number): number | undefined {
    const minute = Math.floor(nowMs / 60_000);
    const window = windows.get(key);
    if (!window || window.minute !== minute) {
      windows.set(key, { minute, count: 1 });
      return undefined;
    }
    window.count += 1;
    if (window.count <= settings.rateLimit.requestsPerMinute) return undefined;
    return Math.max(1, Math.ceil(((minute + 1) * 60_000 - nowMs) / 1000));
  }

  function liveBatch(batchId: string): SimBatch {
    return store.find(batchId) ?? reject(404, { message: 'Batch not found' });
  }

  async function route(req: IncomingMessage, entry: LoggedRequest, nowMs: number): Promise<Reply> {
    const segments = entry.path.split('/').filter(Boolean);
    const method = entry.method;
    const only = (allowed: string) =>
      method === allowed ? undefined : reject(405, { detail: 'Method Not Allowed' });

    if (segments[0] === 'user' && segments[1] === 'me' && segments.length === 2) {
      only('GET');
      return json(200, {
        id: 'sim-user-1',
        name: 'Simulator',
        email: 'simulator@example.com',
        wallet: 500_000,
        concurrency: { max: settings.calls.concurrency, current: 0 },
      });
    }

    if (
      segments[0] === 'v2' &&
      segments[1] === 'agent' &&
      segments[3] === 'executions' &&
      segments.length === 4
    ) {
      only('GET');
      const pageSize = Number(entry.query.page_size ?? 20);
      const pageNumber = Number(entry.query.page_number ?? 1);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50)
        badRequest('page_size must be between 1 and 50');
      if (!Number.isInteger(pageNumber) || pageNumber < 1) badRequest('page_number must be 1 or more');
      const all = [...store.batches.values()]
        .filter((b) => !b.deleted && b.agentId === segments[2])
        .filter((b) => entry.query.batch_id === undefined || b.batchId === entry.query.batch_id)
        .flatMap((b) => b.recipients.map((_, i) => store.executionBody(b, i, nowMs)));
      const data = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
      return json(200, {
        page_number: pageNumber,
        page_size: pageSize,
        total: all.length,
        has_more: pageNumber * pageSize < all.length,
        data,
      });
    }

    if (segments[0] !== 'batches') return reject(404, { detail: 'Not Found' });

    if (segments.length === 1) {
      only('POST');
      return createBatch(req, entry, nowMs);
    }

    const [, id, action] = segments;
    if (segments.length === 3 && action === 'all') {
      only('GET');
      const list = [...store.batches.values()].filter((b) => !b.deleted && b.agentId === id);
      return json(
        200,
        list.map((b) => store.batchBody(b, nowMs)),
      );
    }
    if (segments.length === 2) {
      if (method === 'GET') return json(200, store.batchBody(liveBatch(id!), nowMs));
      if (method === 'DELETE') {
        const batch = liveBatch(id!);
        batch.deleted = true;
        entry.batchId = batch.batchId;
        return json(200, { message: 'success', state: 'deleted' });
      }
      return reject(405, { detail: 'Method Not Allowed' });
    }
    if (segments.length !== 3) return reject(404, { detail: 'Not Found' });
    entry.batchId = id;

    if (action === 'schedule') {
      only('POST');
      const form = await readMultipart(req);
      entry.fields = flatten(form.fields);
      const batch = liveBatch(id!);
      const status = store.status(batch, nowMs);
      if (status !== 'created' && status !== 'scheduled')
        badRequest(`Batch is ${status} and cannot be scheduled`);
      const decision = decideSchedule(form.fields.scheduled_at?.[0], nowMs, settings.rules);
      if (!decision.ok) {
        if (decision.status === 500) {
          throw new HttpReply({
            status: 500,
            body: 'Internal Server Error',
            headers: { 'content-type': 'text/plain' },
          });
        }
        return badRequest(decision.message);
      }
      store.schedule(batch, decision.startsAt, nowMs);
      const state =
        settings.variants.scheduleStateForm === 'with-time'
          ? `scheduled at ${iso(decision.startsAt)}`
          : 'scheduled';
      return json(settings.variants.scheduleStatus, { message: 'success', state });
    }

    if (action === 'stop') {
      only('POST');
      const batch = liveBatch(id!);
      const status = store.status(batch, nowMs);
      const stoppable =
        status === 'running' || (status === 'scheduled' && settings.variants.stopWhileScheduled === 'stops');
      if (!stoppable) reject(404, { message: 'Batch is not queued or running' });
      store.stop(batch, nowMs);
      return json(200, { message: 'success', state: 'stopped' });
    }

    if (action === 'executions') {
      only('GET');
      const batch = liveBatch(id!);
      return { status: 200, stream: (res) => streamExecutions(res, batch, nowMs) };
    }

    return reject(404, { detail: 'Not Found' });
  }

  async function createBatch(req: IncomingMessage, entry: LoggedRequest, nowMs: number): Promise<Reply> {
    if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
      badRequest('Request must be multipart/form-data');
    }
    const form = await readMultipart(req);
    entry.fields = flatten(form.fields);
    if (form.file) entry.file = { filename: form.file.filename, bytes: form.file.bytes };
    const agentId = form.fields.agent_id?.[0] ?? '';
    if (!uuid.test(agentId)) badRequest('agent_id must be a valid UUID');
    const file = form.file ?? badRequest('file is required');
    if (file.error) badRequest(`Could not parse CSV: ${file.error}`);
    if (!file.columns.includes('contact_number')) badRequest('CSV must contain a contact_number column');
    if (file.rows.length === 0) badRequest('CSV has no rows');
    let retryConfig: unknown;
    const retryText = form.fields.retry_config?.[0];
    if (retryText !== undefined) {
      try {
        retryConfig = JSON.parse(retryText);
      } catch {
        badRequest('retry_config must be valid JSON');
      }
    }
    const batch = store.create(
      {
        agentId,
        fileName: file.filename,
        recipients: file.rows,
        fromPhoneNumbers: form.fields.from_phone_numbers ?? [],
        ...(retryConfig === undefined ? {} : { retryConfig }),
        ...(form.fields.webhook_url?.[0] ? { webhookUrl: form.fields.webhook_url[0] } : {}),
      },
      nowMs,
    );
    entry.batchId = batch.batchId;
    return json(settings.variants.createStatus, { batch_id: batch.batchId, state: 'created' });
  }

  async function streamExecutions(res: ServerResponse, batch: SimBatch, nowMs: number): Promise<void> {
    const envelope = settings.variants.executionsEnvelope === 'data';
    const write = async (text: string) => {
      if (!res.write(text)) await once(res, 'drain');
    };
    await write(envelope ? '{"data":[' : '[');
    for (let i = 0; i < batch.recipients.length; i += 1) {
      await write((i ? ',' : '') + JSON.stringify(store.executionBody(batch, i, nowMs)));
    }
    await write(envelope ? '],"has_more":false}' : ']');
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const nowMs = await clock.now();
    const url = new URL(req.url ?? '/', 'http://simulator');
    const entry: LoggedRequest = {
      at: nowMs,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
    };
    requests.push(entry);

    const fault = faults.take(entry.method, entry.path) ?? randomFault();
    if (fault?.kind === 'drop') {
      entry.status = 'dropped';
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'latency' || settings.faults.latencyMs > 0) {
      const latencyMs =
        (fault?.kind === 'latency' ? fault.latencyMs : undefined) ?? settings.faults.latencyMs;
      const slept = await delay(latencyMs, true, { signal: closing.signal }).catch(() => false);
      if (!slept) return;
    }

    let reply: Reply;
    try {
      if (fault?.kind === 'server-error') {
        req.resume();
        throw new HttpReply({ status: fault.status ?? 500, body: { message: 'Internal Server Error' } });
      }
      const key = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
      if (!key || (apiKey !== undefined && key !== apiKey)) {
        req.resume();
        reject(403, { detail: 'Invalid or missing API key' });
      }
      const retryAfter =
        fault?.kind === 'rate-limit' ? (fault.retryAfterSeconds ?? 1) : overRateLimit(key!, nowMs);
      if (retryAfter !== undefined) {
        req.resume();
        const header =
          fault?.kind === 'rate-limit' && fault.retryAfterAsDate
            ? new Date(Date.now() + retryAfter * 1000).toUTCString()
            : String(retryAfter);
        throw new HttpReply({
          status: 429,
          headers: { 'retry-after': header },
          body: { message: 'Too Many Requests' },
        });
      }
      reply = await route(req, entry, nowMs);
    } catch (error) {
      if (!(error instanceof HttpReply)) throw error;
      reply = error.reply;
    }

    entry.status = reply.status;
    if (fault?.kind === 'lost-response') {
      // The request took effect; only the answer never arrives.
      entry.status = 'lost';
      req.socket.destroy();
      return;
    }
    const isText = typeof reply.body === 'string';
    res.writeHead(reply.status, {
      'content-type': isText ? 'text/plain' : 'application/json',
      ...reply.headers,
    });
    if (reply.stream) await reply.stream(res);
    else res.end(isText ? (reply.body as string) : JSON.stringify(reply.body ?? {}));
  }

  function randomFault(): Fault | undefined {
    const { serverErrorRate, dropRate, lostResponseRate } = settings.faults;
    if (serverErrorRate + dropRate + lostResponseRate === 0) return undefined;
    const roll = random();
    if (roll < dropRate) return { kind: 'drop' };
    if (roll < dropRate + lostResponseRate) return { kind: 'lost-response' };
    if (roll < dropRate + lostResponseRate + serverErrorRate) return { kind: 'server-error', status: 503 };
    return undefined;
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`simulator error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  server.listen(port, host);
  await once(server, 'listening');
  const actualPort = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    requests,
    settings,
    injectFault: (fault) => faults.add(fault),
    batches: store,
    close: async () => {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function flatten(fields: Record<string, string[]>): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(fields).map(
      ([name, values]) =>
        [name, values.length === 1 && name !== 'from_phone_numbers' ? values[0]! : values] as const,
    ),
  );
}
