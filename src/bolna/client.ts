import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { Agent, FormData, errors as undiciErrors, request } from 'undici';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { bolnaErrorForStatus, BolnaConnectionError, BolnaNotFoundError, BolnaProtocolError } from './errors';
import type { BolnaError, BolnaErrorDetails } from './errors';
import { streamExecutionArray } from './execution-stream';
import type { ExecutionListPage } from './execution-stream';
import { parseHttpDate } from './http-date';
import { parseRetryAfter } from './retry-after';
import {
  accountSchema,
  batchActionResponseSchema,
  batchListSchema,
  batchSchema,
  createBatchResponseSchema,
  errorBodySchema,
  executionPageSchema,
  scheduleBatchResponseSchema,
} from './schemas';
import type {
  Account,
  Batch,
  BatchActionResponse,
  CreateBatchResponse,
  Execution,
  ExecutionPage,
  ScheduleBatchResponse,
} from './schemas';
import { toBolnaTimestamp } from './timestamps';

export const defaultBolnaBaseUrl = 'https://api.bolna.ai';

export interface BolnaClientOptions {
  /** The `bn-…` key. Held privately; it never appears in errors or logs. */
  apiKey: string;
  baseUrl?: string;
  /** How long to wait for a TCP/TLS connection. Default 10 s. */
  connectTimeoutMs?: number;
  /** How long to wait for response headers. Default 30 s. */
  headersTimeoutMs?: number;
  /** Longest silence while a body streams in (not the whole download). Default 60 s. */
  bodyTimeoutMs?: number;
  /** Injected undici dispatcher (a MockAgent, a proxy, a shared pool). Overrides the timeouts above. */
  dispatcher?: Dispatcher;
  userAgent?: string;
  /**
   * Told about every request once its answer's status is known (or no answer came), for metrics. It never sees the
   * key, a body or an id: the endpoint is the route with its ids as placeholders.
   */
  onRequest?: (request: BolnaRequestRecord) => void;
  /**
   * The signal each request is aborted by, asked for as the request starts: the worker passes the running
   * activity's cancellation, so a step Temporal cancels (or a stopping worker gives up) stops waiting on Bolna.
   */
  abortSignal?: () => AbortSignal | undefined;
}

/** One request to Bolna, as the client reports it to `onRequest`. */
export interface BolnaRequestRecord {
  /** Method and route, ids as placeholders: `POST /batches/{batch_id}/schedule`. */
  endpoint: string;
  /** The HTTP status; undefined when no answer came (refused connection, timeout, reset). */
  status: number | undefined;
  /** From sending the request to its answer's headers (a streamed body may take longer). */
  durationMs: number;
}

export interface CreateBatchRequest {
  agentId: string;
  /** Path of a CSV on disk. It is streamed, never read into memory. */
  csvPath: string;
  /** Name Bolna stores as `file_name`. We make it unique per campaign so a lost response can be recovered. */
  fileName?: string;
  fromPhoneNumbers?: readonly string[];
  /** Bolna-side auto-retry settings, sent as the JSON string the API expects. */
  retryConfig?: Readonly<Record<string, unknown>>;
  webhookUrl?: string;
}

export interface ScheduleBatchInput {
  /** A Date, or an ISO 8601 string with any offset; always sent with a numeric offset, never `Z`. */
  scheduledAt: Date | string;
  bypassCallGuardrails?: boolean;
}

export interface StopBatchResult {
  /** False when Bolna says the batch is not queued or running (already finished or stopped). */
  stopped: boolean;
  message: string | undefined;
}

export interface ExecutionPageQuery {
  batchId?: string;
  pageNumber?: number;
  /** At most 50. */
  pageSize?: number;
  from?: Date | string;
  to?: Date | string;
}

/** The largest page `GET /v2/agent/{agent_id}/executions` serves. */
const maxAgentExecutionsPageSize = 50;

interface Call {
  method: 'GET' | 'POST' | 'DELETE';
  /** The path with `{name}` placeholders, filled from `params`: what metrics group requests by. */
  route: string;
  params?: Record<string, string>;
  query?: Record<string, string | undefined>;
  body?: FormData;
}

/**
 * A typed client for Bolna's batch-calling API. One method per documented endpoint; responses are validated
 * with zod and failures are thrown as one BolnaError subclass per kind. It never retries: Temporal's activity
 * retry policy is the only retry layer.
 */
export class BolnaClient {
  readonly baseUrl: string;
  readonly #apiKey: string;
  readonly #dispatcher: Dispatcher;
  readonly #userAgent: string;
  readonly #onRequest: ((request: BolnaRequestRecord) => void) | undefined;
  readonly #abortSignal: (() => AbortSignal | undefined) | undefined;
  #lastServerDateMs: number | undefined;

  constructor(options: BolnaClientOptions) {
    if (!options.apiKey.trim()) throw new TypeError('BolnaClient needs a non-empty apiKey');
    this.#apiKey = options.apiKey;
    this.baseUrl = (options.baseUrl ?? defaultBolnaBaseUrl).replace(/\/+$/, '');
    this.#userAgent = options.userAgent ?? 'bolna-batch-campaigns';
    this.#onRequest = options.onRequest;
    this.#abortSignal = options.abortSignal;
    this.#dispatcher =
      options.dispatcher ??
      new Agent({
        connect: { timeout: options.connectTimeoutMs ?? 10_000 },
        headersTimeout: options.headersTimeoutMs ?? 30_000,
        bodyTimeout: options.bodyTimeoutMs ?? 60_000,
      });
  }

  /** `POST /batches`: upload the CSV. The batch calls nobody until it is scheduled. */
  async createBatch(input: CreateBatchRequest): Promise<CreateBatchResponse> {
    const form = new FormData();
    form.append('agent_id', input.agentId);
    const file = await openAsBlob(input.csvPath, { type: 'text/csv' });
    form.append('file', file, input.fileName ?? basename(input.csvPath));
    for (const number of input.fromPhoneNumbers ?? []) form.append('from_phone_numbers', number);
    if (input.retryConfig) form.append('retry_config', JSON.stringify(input.retryConfig));
    if (input.webhookUrl) form.append('webhook_url', input.webhookUrl);
    return this.#json({ method: 'POST', route: '/batches', body: form }, createBatchResponseSchema);
  }

  /**
   * `POST /batches/{id}/schedule`. Bolna rounds the start up to its next 10-minute mark. The body repeats the
   * `batch_id`, which Bolna's spec lists as a required field besides the path.
   */
  async scheduleBatch(batchId: string, input: ScheduleBatchInput): Promise<ScheduleBatchResponse> {
    const form = new FormData();
    form.append('batch_id', batchId);
    form.append('scheduled_at', toBolnaTimestamp(input.scheduledAt));
    if (input.bypassCallGuardrails !== undefined) {
      form.append('bypass_call_guardrails', String(input.bypassCallGuardrails));
    }
    return this.#json(
      { method: 'POST', route: '/batches/{batch_id}/schedule', params: { batch_id: batchId }, body: form },
      scheduleBatchResponseSchema,
    );
  }

  /** `GET /batches/{id}`. */
  async getBatch(batchId: string): Promise<Batch> {
    return this.#json(
      { method: 'GET', route: '/batches/{batch_id}', params: { batch_id: batchId } },
      batchSchema,
    );
  }

  /** `GET /batches/{agent_id}/all`: every batch of an agent, unpaginated. */
  async listAgentBatches(agentId: string): Promise<Batch[]> {
    const list = await this.#json(
      { method: 'GET', route: '/batches/{agent_id}/all', params: { agent_id: agentId } },
      batchListSchema,
    );
    return Array.isArray(list) ? list : list.data;
  }

  /**
   * Bolna's clock: the `Date` header of the most recent response that carried a valid one (errors included), in
   * epoch ms. Compared with our own clock it tells the skew that Bolna's "at least 2 minutes ahead" is judged by.
   */
  get lastServerDateMs(): number | undefined {
    return this.#lastServerDateMs;
  }

  /**
   * `GET /batches/{id}/executions`, one execution per CSV row, streamed: the response can be tens of MB, so
   * executions are parsed and yielded one at a time. Accepts a bare array or a `{data: [...]}` envelope. An
   * envelope saying `has_more: true` is followed the way Bolna's own helper does, with `page_number` and
   * `page_size`, page after page; a page that is empty or repeats the previous one ends the listing (the caller
   * compares the count with the rows it uploaded). The same execution may be yielded twice if pages overlap.
   */
  async *streamExecutions(batchId: string): AsyncGenerator<Execution> {
    // The first request is the documented, unpaged one; its answer says whether and how to page.
    let asked: { pageNumber: number; pageSize: number } | undefined;
    let previousFirstId: string | undefined;
    for (;;) {
      const page = yield* this.#streamExecutionPage(batchId, asked);
      if (!page.hasMore || page.count === 0 || page.firstId === previousFirstId) return;
      previousFirstId = page.firstId;
      asked = {
        pageNumber: (page.pageNumber ?? asked?.pageNumber ?? 1) + 1,
        // A full first page of unstated size shows the server's default size.
        pageSize: page.pageSize ?? asked?.pageSize ?? page.count,
      };
    }
  }

  async *#streamExecutionPage(
    batchId: string,
    page: { pageNumber: number; pageSize: number } | undefined,
  ): AsyncGenerator<Execution, ExecutionListPage> {
    const call: Call = {
      method: 'GET',
      route: '/batches/{batch_id}/executions',
      params: { batch_id: batchId },
      ...(page ? { query: { page_number: String(page.pageNumber), page_size: String(page.pageSize) } } : {}),
    };
    const body = await this.#send(call);
    return yield* streamExecutionArray(body, {
      protocolError: (message, cause) => this.#protocolError(call, message, cause),
      networkError: (message, cause) =>
        new BolnaConnectionError({ ...this.#where(call), bolnaMessage: message, cause }),
    });
  }

  /** `GET /v2/agent/{agent_id}/executions`: one page (≤ 50) of an agent's executions, optionally of one batch. */
  async getExecutionPage(agentId: string, query: ExecutionPageQuery = {}): Promise<ExecutionPage> {
    return this.#json(
      {
        method: 'GET',
        route: '/v2/agent/{agent_id}/executions',
        params: { agent_id: agentId },
        query: {
          batch_id: query.batchId,
          page_number: query.pageNumber?.toString(),
          page_size: query.pageSize?.toString(),
          from: query.from === undefined ? undefined : toBolnaTimestamp(query.from),
          to: query.to === undefined ? undefined : toBolnaTimestamp(query.to),
        },
      },
      executionPageSchema,
    );
  }

  /**
   * Every execution `GET /v2/agent/{agent_id}/executions` lists for the query, page after page of the largest
   * size; one page is in memory at a time.
   */
  async *streamAgentExecutions(
    agentId: string,
    query: Omit<ExecutionPageQuery, 'pageNumber' | 'pageSize'> = {},
  ): AsyncGenerator<Execution> {
    for (let pageNumber = 1; ; pageNumber += 1) {
      const page = await this.getExecutionPage(agentId, {
        ...query,
        pageNumber,
        pageSize: maxAgentExecutionsPageSize,
      });
      yield* page.data;
      if (!page.has_more || page.data.length === 0) return;
    }
  }

  /**
   * `POST /batches/{id}/stop`. Bolna's documented 404 "Batch is not queued or running" means there is nothing
   * left to stop; that is reported as `stopped: false`, not thrown, so stopping is idempotent.
   */
  async stopBatch(batchId: string): Promise<StopBatchResult> {
    try {
      const body = await this.#json(
        { method: 'POST', route: '/batches/{batch_id}/stop', params: { batch_id: batchId } },
        batchActionResponseSchema,
      );
      return { stopped: true, message: body.message ?? undefined };
    } catch (error) {
      if (error instanceof BolnaNotFoundError && /not queued or running/i.test(error.bolnaMessage ?? '')) {
        return { stopped: false, message: error.bolnaMessage };
      }
      throw error;
    }
  }

  /** `DELETE /batches/{id}`. */
  async deleteBatch(batchId: string): Promise<BatchActionResponse> {
    return this.#json(
      { method: 'DELETE', route: '/batches/{batch_id}', params: { batch_id: batchId } },
      batchActionResponseSchema,
    );
  }

  /** `GET /user/me`: account, wallet (×100) and concurrency. Also a cheap way to check the key. */
  async getAccount(): Promise<Account> {
    return this.#json({ method: 'GET', route: '/user/me' }, accountSchema);
  }

  async #json<Schema extends z.ZodType>(call: Call, schema: Schema): Promise<z.output<Schema>> {
    const body = await this.#send(call);
    let text: string;
    try {
      text = await readText(body);
    } catch (cause) {
      throw new BolnaConnectionError({
        ...this.#where(call),
        bolnaMessage: describeNetworkFailure(cause),
        cause,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw this.#protocolError(call, 'response body is not JSON', cause);
    }
    const result = schema.safeParse(parsed);
    if (!result.success) throw this.#protocolError(call, result.error.issues[0]?.message ?? 'invalid body');
    return result.data;
  }

  /** Sends one request and returns the body of a 2xx response; anything else becomes a BolnaError. */
  async #send(call: Call): Promise<Readable> {
    const url = new URL(this.baseUrl + pathOf(call));
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    let response: Dispatcher.ResponseData;
    const startedMs = performance.now();
    const signal = this.#abortSignal?.();
    try {
      response = await request(url, {
        ...(signal ? { signal } : {}),
        method: call.method,
        dispatcher: this.#dispatcher,
        headers: {
          authorization: `Bearer ${this.#apiKey}`,
          accept: 'application/json',
          'user-agent': this.#userAgent,
        },
        ...(call.body ? { body: call.body } : {}),
      });
    } catch (cause) {
      this.#report(call, undefined, startedMs);
      throw new BolnaConnectionError({
        ...this.#where(call),
        bolnaMessage: describeNetworkFailure(cause),
        cause,
      });
    }
    this.#report(call, response.statusCode, startedMs);
    this.#lastServerDateMs = parseHttpDate(response.headers.date) ?? this.#lastServerDateMs;
    if (response.statusCode >= 200 && response.statusCode < 300) return response.body;
    throw await this.#httpError(call, response);
  }

  async #httpError(call: Call, response: Dispatcher.ResponseData): Promise<BolnaError> {
    const details = {
      ...this.#where(call),
      status: response.statusCode,
      // Redacted before it is shortened: a cut through the key would leave a piece the redaction cannot see.
      bolnaMessage: shorten(this.#redact(extractBolnaMessage(await readText(response.body).catch(() => '')))),
    };
    const retryAfter = response.statusCode === 429 ? response.headers['retry-after'] : undefined;
    return bolnaErrorForStatus(details, parseRetryAfter(retryAfter, Date.now()));
  }

  #protocolError(call: Call, message: string, cause?: unknown): BolnaProtocolError {
    return new BolnaProtocolError({ ...this.#where(call), bolnaMessage: message, cause });
  }

  #where(call: Call): Pick<BolnaErrorDetails, 'method' | 'path'> {
    return { method: call.method, path: pathOf(call) };
  }

  /** Tells `onRequest`; a failing observer must not fail a request that Bolna may already have acted on. */
  #report(call: Call, status: number | undefined, startedMs: number): void {
    try {
      this.#onRequest?.({
        endpoint: `${call.method} ${call.route}`,
        status,
        durationMs: performance.now() - startedMs,
      });
    } catch {
      // Metrics are not worth a campaign step: the request's own outcome stands.
    }
  }

  /** Bolna may echo what it was sent; make sure the key can never ride out inside an error message. */
  #redact(text: string | undefined): string | undefined {
    return text?.split(this.#apiKey).join('[redacted]');
  }
}

/** The call's route with its placeholders filled in. */
function pathOf(call: Call): string {
  return call.route.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = call.params?.[name];
    if (value === undefined) throw new TypeError(`${call.route}: no value for {${name}}`);
    return segment(value);
  });
}

/** Percent-encodes a path segment so an id can never change the path it is put in. */
function segment(id: string): string {
  return encodeURIComponent(id);
}

async function readText(body: Readable): Promise<string> {
  let text = '';
  body.setEncoding('utf8');
  for await (const chunk of body) text += chunk as string;
  return text;
}

const maxMessageLength = 500;

function shorten(message: string | undefined): string | undefined {
  return message && message.length > maxMessageLength ? `${message.slice(0, maxMessageLength)}…` : message;
}

/**
 * Pulls Bolna's explanation out of `{message}`, `{error, message}` or FastAPI's `{detail}`, whole. An integer
 * `error` (Bolna's spec: the status code again) adds nothing to the status the error already names, so it is left
 * out; a text one is kept.
 */
function extractBolnaMessage(text: string): string | undefined {
  let message: string | undefined;
  try {
    const body = errorBodySchema.safeParse(JSON.parse(text));
    if (body.success) {
      const error = typeof body.data.error === 'number' ? undefined : body.data.error;
      const parts = [error, body.data.message, body.data.detail]
        .filter((part) => part !== undefined && part !== null && part !== '')
        .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)));
      message = parts.join(': ') || undefined;
    }
  } catch {
    message = text.trim() || undefined;
  }
  return message;
}

function describeNetworkFailure(cause: unknown): string {
  if (cause instanceof undiciErrors.ConnectTimeoutError) return 'connect timeout';
  if (cause instanceof undiciErrors.HeadersTimeoutError) return 'timed out waiting for response headers';
  if (cause instanceof undiciErrors.BodyTimeoutError) return 'timed out reading the response body';
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}
