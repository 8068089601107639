import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { authenticate } from './auth';
import { BatchStore } from './batch-store';
import type { BatchReader } from './batch-store';
import { FaultInjector } from './faults';
import type { Fault, FaultOutcome } from './faults';
import { HttpError, internalServerError, jsonReply, replyMessage } from './http-reply';
import type { Reply } from './http-reply';
import { placedCalls } from './placed-calls';
import type { PlacedCall } from './placed-calls';
import { mixSeeds, seededRandom } from './random';
import { RateLimiter } from './rate-limiter';
import { RecipientZones } from './recipient-zones';
import type { LoggedRequest } from './request-log';
import { matchRoute } from './routes';
import { apiKeySchema, resolveOptions } from './settings';
import type { SimulatorOptions, SimulatorSettings } from './settings';
import { httpDate } from './time-format';
import { startWebhookSender } from './webhooks';
import type { WebhookDelivery } from './webhooks';

/**
 * A Bolna batch API simulator on node:http: the documented paths, status codes, bodies and rules; batches and
 * calls that move on the simulator's clock; failure injection; a request log. As strict as Bolna's docs and never
 * kinder, because our product is tested against it: every leniency here would hide a production bug.
 */

export type { Fault } from './faults';
export type { PlacedCall } from './placed-calls';
export type { LoggedRequest } from './request-log';
export type { SimulatorOptions, SimulatorSettings } from './settings';
export type { WebhookDelivery } from './webhooks';

export interface RunningSimulator {
  /** e.g. `http://127.0.0.1:43121`: what a client takes as its base URL. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order of arrival. */
  readonly requests: readonly LoggedRequest[];
  /**
   * Every call placed so far (by the simulator's clock now), Bolna's retries included, in order of placement: see
   * `PlacedCall`. Computed at each call, since calls move on the clock without any request.
   */
  readonly placedCalls: () => Promise<readonly PlacedCall[]>;
  /**
   * A recipient's IANA time zone(s), as the local-time settings (`guardrails`, `calls.outcomesByLocalTime`) see
   * them: the row's `timezone` column if valid, else `recipientTimeZones`, else derived from the number.
   */
  readonly timeZonesOf: (
    contactNumber: string,
    recipientData?: Readonly<Record<string, string>>,
  ) => Promise<string[]>;
  /** Every batch webhook sent (or lost, or refused), in order. */
  readonly webhookDeliveries: readonly WebhookDelivery[];
  /** The live settings: change them mid-test (variants, rules, random fault rates, ...). */
  readonly settings: SimulatorSettings;
  /**
   * Rotates (or revokes) the account's key: from now on only `key` is accepted, and every other key, the old one
   * included, gets Bolna's 403. Same organisation: batches and the rate-limit allowance carry over.
   */
  setApiKey(key: string): void;
  /** Queues a scripted fault for the next request(s) it matches. */
  injectFault(fault: Fault): void;
  /** Read access to the batches, for assertions. */
  readonly batches: BatchReader;
  /** Stops listening, cuts every connection (keep-alive ones included) and cancels injected latency. */
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const { host, port, apiKey, clock, clockOffsetMs, seed, ...settings } = resolveOptions(options);
  let acceptedKey = apiKey;
  /** Bolna's clock: the one given, shifted by the offset (clock skew). */
  const now = async (): Promise<number> => (await clock.now()) + clockOffsetMs;
  const store = new BatchStore(seed);
  const recipientZones = new RecipientZones(settings);
  // Its own stream, so random faults do not shift when call plans draw numbers, and vice versa.
  const faults = new FaultInjector(seededRandom(mixSeeds(seed, 0xfa0175)));
  const limiter = new RateLimiter();
  const requests: LoggedRequest[] = [];
  const closing = new AbortController();
  const webhookDeliveries: WebhookDelivery[] = [];
  startWebhookSender({
    store,
    settings,
    now,
    random: seededRandom(mixSeeds(seed, 0x3eb400c)),
    deliveries: webhookDeliveries,
    closing: closing.signal,
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const entry: LoggedRequest = {
      at: await now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 'pending',
    };
    requests.push(entry);

    const decision = faults.decide(entry.method, entry.path, settings.faults);
    if (decision.outcome.kind !== 'none') entry.fault = decision.outcome.kind;
    else if (decision.latencyMs > settings.faults.latencyMs) entry.fault = 'latency';
    if (decision.latencyMs > 0) {
      const waited = await delay(decision.latencyMs, true, { signal: closing.signal }).catch(() => false);
      if (!waited) return;
    }
    if (decision.outcome.kind === 'drop') {
      entry.status = 'dropped';
      req.socket.destroy();
      return;
    }
    const reply = await answer(req, url, entry, decision.outcome);
    // A simulator bug already logged its own message; otherwise log why the answer is an error, if it is.
    const message = entry.message ?? replyMessage(reply);
    if (message !== undefined) entry.message = message;
    if (decision.outcome.kind === 'lost-response') {
      // The request took effect; only its answer never arrives.
      entry.status = 'lost';
      req.socket.destroy();
      return;
    }
    entry.status = reply.status;
    await send(res, reply, await now());
  }

  async function answer(
    req: IncomingMessage,
    url: URL,
    entry: LoggedRequest,
    outcome: FaultOutcome,
  ): Promise<Reply> {
    try {
      if (outcome.kind === 'server-error') return serverError(outcome.status);
      if (outcome.kind === 'rate-limit') {
        return rateLimited(entry, outcome.retryAfterSeconds, outcome.retryAfterAsDate);
      }
      const match = matchRoute(entry.method, entry.path, settings.variants);
      if (match.kind === 'not-found') return jsonReply(404, { detail: 'Not Found' });
      if (match.kind === 'method-not-allowed') {
        return jsonReply(405, { detail: 'Method Not Allowed' }, { allow: match.allow.join(', ') });
      }
      const batchId = match.route.addressesBatch ? match.params[0] : undefined;
      if (batchId !== undefined) entry.batchId = batchId;
      const organisation = authenticate(
        req.headers,
        acceptedKey,
        match.route.keyRefusal?.(settings.variants),
      );
      const nowMs = await now();
      const waitMs = limiter.take(
        [
          { name: organisation, perMinute: settings.rateLimit.requestsPerMinute },
          ...(match.route.v2
            ? [{ name: `${organisation}/v2`, perMinute: settings.rateLimit.v2RequestsPerMinute }]
            : []),
        ],
        nowMs,
      );
      if (waitMs !== undefined) return rateLimited(entry, Math.ceil(waitMs / 1000), false);
      return await match.route.handler({
        req,
        nowMs,
        params: match.params,
        query: url.searchParams,
        entry,
        settings,
        store,
        recipientZones,
      });
    } catch (error) {
      if (error instanceof HttpError) return error.reply;
      entry.message = `simulator bug: ${error instanceof Error ? error.message : String(error)}`;
      return internalServerError();
    }
  }

  /** A 429, with `Retry-After` (logged) unless the variant has Bolna leave it out, as it may. */
  function rateLimited(entry: LoggedRequest, retryAfterSeconds: number, asDate: boolean): Reply {
    if (settings.variants.retryAfterHeader === 'omitted') return tooManyRequests(undefined);
    entry.retryAfterSeconds = retryAfterSeconds;
    return tooManyRequests(asDate ? httpDateIn(retryAfterSeconds) : String(retryAfterSeconds));
  }

  const server = createServer((req, res) => {
    // Node would date every answer with the real time; the simulator dates them with its own clock.
    res.sendDate = false;
    handle(req, res).catch(() => {
      // Only the clock or the socket can fail here; answer if the connection still allows it. Without a working
      // clock there is no Date to send: RFC 7231 (7.1.1.2) forbids a made-up one.
      if (!res.headersSent && !res.destroyed) void send(res, internalServerError(), undefined);
    });
  });
  server.listen(port, host);
  await once(server, 'listening');
  const actualPort = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${connectableHost(host)}:${actualPort}`,
    port: actualPort,
    requests,
    placedCalls: async () => placedCalls(store, await now()),
    timeZonesOf: (contactNumber, recipientData) => recipientZones.of(contactNumber, recipientData),
    webhookDeliveries,
    settings,
    setApiKey: (key) => {
      const parsed = apiKeySchema.safeParse(key);
      if (!parsed.success) throw new TypeError(`Invalid apiKey: ${z.prettifyError(parsed.error)}`);
      acceptedKey = parsed.data;
    },
    injectFault: (fault) => faults.inject(fault),
    batches: store,
    close: () => {
      closed ??= new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** Writes the reply, dated `dateMs` on the simulator's clock (no `Date` header when that is unknown). */
async function send(res: ServerResponse, reply: Reply, dateMs: number | undefined): Promise<void> {
  const { body } = reply;
  const date = dateMs === undefined ? {} : { date: httpDate(dateMs) };
  if (body.kind === 'json-stream') {
    res.writeHead(reply.status, { 'content-type': 'application/json', ...date, ...reply.headers });
    // The client may hang up mid-stream; there is nobody left to tell.
    await pipeline(Readable.from(body.chunks()), res).catch(() => undefined);
    return;
  }
  const [contentType, text] =
    body.kind === 'json' ? ['application/json', JSON.stringify(body.value)] : [body.contentType, body.text];
  res.writeHead(reply.status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    ...date,
    ...reply.headers,
  });
  res.end(text);
}

/** What a load balancer or Bolna's framework answers when the service fails. */
function serverError(status: 500 | 502 | 503): Reply {
  if (status === 500) return internalServerError();
  const title = status === 502 ? '502 Bad Gateway' : '503 Service Temporarily Unavailable';
  return {
    status,
    body: {
      kind: 'text',
      contentType: 'text/html',
      text: `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center></body></html>`,
    },
  };
}

function tooManyRequests(retryAfter: string | undefined): Reply {
  return jsonReply(
    429,
    { error: 429, message: 'Rate limit exceeded, retry later' },
    retryAfter === undefined ? undefined : { 'retry-after': retryAfter },
  );
}

/**
 * Retry-After as an HTTP date `seconds` from now, rounded up to a whole second (the format's resolution), on the
 * real clock: that is what a client compares the date with.
 */
function httpDateIn(seconds: number): string {
  return httpDate(Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000);
}

function connectableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
