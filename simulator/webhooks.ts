import { isIP } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { request } from 'undici';
import type { BatchStore, SimBatch } from './batch-store';
import { batchView } from './batch-view';
import { isTerminal } from './call-plan';
import type { Random } from './random';
import type { SimulatorSettings } from './settings';

/**
 * Bolna's batch webhook: a batch created with a `webhook_url` is POSTed there (the batch object, as
 * `GET /batches/{id}` shows it) once it has finished processing (its status is final) and again once every call
 * is final; a non-2xx answer or no answer is retried a few times. Statuses follow the clock without timers, so a
 * tick (real time) looks for batches whose moment has come, on any clock, the test server's included.
 *
 * Test traffic stays on this machine: a webhook URL whose host is not a loopback address is refused, never
 * resolved or connected to. Variants: a share of webhooks lost (never sent), and every webhook delivered twice.
 */

export type WebhookEvent = 'processed' | 'executions-final';

/** One delivery attempt, for tests to read times and outcomes from. Never holds the URL (it carries a token). */
export interface WebhookDelivery {
  /** The simulator's clock when it was sent (or given up). */
  at: number;
  batchId: string;
  event: WebhookEvent;
  /** 1 for the first try of a delivery, then Bolna's retries. */
  attempt: number;
  /** The receiver's HTTP status; `lost` (the variant dropped it), `refused` (not loopback), `unreachable`. */
  outcome: number | 'lost' | 'refused' | 'unreachable';
}

const batchStatusesFinished = new Set(['completed', 'stopped', 'failed', 'canceled']);
const tickMs = 200;

export interface WebhookSenderOptions {
  store: BatchStore;
  settings: SimulatorSettings;
  now: () => Promise<number>;
  random: Random;
  deliveries: WebhookDelivery[];
  /** Aborted when the simulator closes: no delivery outlives it. */
  closing: AbortSignal;
}

/** Starts the tick; it stops when `closing` is aborted. */
export function startWebhookSender(options: WebhookSenderOptions): void {
  const sent = new Map<string, Set<WebhookEvent>>();
  let ticking = false;

  async function tick(): Promise<void> {
    for (const batch of options.store.list()) {
      if (batch.webhookUrl === undefined || batch.deletedAtMs !== undefined) continue;
      const done = sent.get(batch.batchId) ?? new Set<WebhookEvent>();
      if (done.size === 2) continue;
      const nowMs = await options.now();
      for (const event of dueEvents(batch, nowMs)) {
        if (done.has(event)) continue;
        done.add(event);
        sent.set(batch.batchId, done);
        const body = JSON.stringify(batchView(options.store, batch, nowMs, options.settings.variants));
        void deliver(batch, event, body);
      }
    }
  }

  function dueEvents(batch: SimBatch, nowMs: number): WebhookEvent[] {
    if (!batchStatusesFinished.has(options.store.status(batch, nowMs))) return [];
    const callsFinal = options.store.callStates(batch, nowMs).every((call) => isTerminal(call.status));
    return callsFinal ? ['processed', 'executions-final'] : ['processed'];
  }

  async function deliver(batch: SimBatch, event: WebhookEvent, body: string): Promise<void> {
    const { webhooks } = options.settings;
    const record = async (attempt: number, outcome: WebhookDelivery['outcome']) =>
      void options.deliveries.push({
        at: await options.now(),
        batchId: batch.batchId,
        event,
        attempt,
        outcome,
      });
    if (options.random() < webhooks.lossRate) return record(1, 'lost');
    const url = batch.webhookUrl ?? '';
    if (!isLoopbackUrl(url)) return record(1, 'refused');
    const copies = webhooks.delivery === 'twice' ? 2 : 1;
    for (let copy = 0; copy < copies; copy += 1) {
      for (let attempt = 1; attempt <= 1 + webhooks.retries; attempt += 1) {
        if (options.closing.aborted) return;
        const outcome = await post(url, body, options.closing);
        await record(attempt, outcome);
        if (typeof outcome === 'number' && outcome >= 200 && outcome < 300) break;
        const waited = await delay(webhooks.retryDelayMs, true, { signal: options.closing }).catch(
          () => false,
        );
        if (!waited) return;
      }
    }
  }

  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    tick()
      .catch(() => undefined) // the clock failing (a test server going away) only delays the webhooks
      .finally(() => {
        ticking = false;
      });
  }, tickMs);
  timer.unref();
  options.closing.addEventListener('abort', () => clearInterval(timer), { once: true });
}

async function post(url: string, body: string, closing: AbortSignal): Promise<WebhookDelivery['outcome']> {
  try {
    const answer = await request(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'bolna-simulator-webhook' },
      headersTimeout: 5_000,
      bodyTimeout: 5_000,
      signal: closing,
    });
    await answer.body.dump();
    return answer.statusCode;
  } catch {
    return 'unreachable';
  }
}

/** Only addresses of this machine, by IP or as `localhost`: nothing is ever resolved. */
function isLoopbackUrl(text: string): boolean {
  const host = new URL(text).hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return isIP(host) === 6 && host === '::1';
}
