import { WorkflowNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { Logger } from '@temporalio/common';
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import { batchSchema } from '../bolna/schemas';
import { bolnaWebhookSignal } from '../workflows/definitions';
import type { BolnaWebhookReport } from '../workflows/definitions';
import { isWebhookToken, webhookRoute } from './token';

/**
 * The webhook receiver (`npm run webhooks`): Bolna POSTs a batch to `/bolna/batches/<workflowId>/<token>` when it
 * has finished processing it and again when every call is final, and retries on an error or a timeout. Bolna does
 * not sign webhooks, so the path's token (HMAC of the workflow ID, see token.ts) is the credential: a wrong one is
 * a 404 like any unknown path, so a prober learns nothing. A good one is answered as soon as Temporal has taken the
 * `bolnaWebhook` signal (a few ms); the campaign checks the batch id and ignores repeats, and confirms with a poll.
 * Nothing here logs a path with its token, or a body.
 */

/** What signalling a campaign came to: `gone` when no campaign of that ID is running any more. */
export type SignalOutcome = 'signalled' | 'gone';

export type CampaignSignaller = (workflowId: string, report: BolnaWebhookReport) => Promise<SignalOutcome>;

export interface WebhookReceiverOptions {
  /** BOLNA_WEBHOOK_SECRET, shared with the workers that build the URLs. */
  secret: string;
  signal: CampaignSignaller;
  logger: Logger;
  /** A batch object is about a kilobyte; anything much larger is not Bolna's. Default 64 KiB. */
  bodyLimitBytes?: number;
}

const defaultBodyLimitBytes = 64 * 1024;
/** A workflow ID as long as this is not ours (campaign names are cut at 200 characters). */
const maxWorkflowIdLength = 1_000;

interface WebhookParams {
  workflowId: string;
  token: string;
}

export function buildWebhookReceiver(options: WebhookReceiverOptions): FastifyInstance {
  // Fastify's own request logging would write the URL, token included: we log each answer ourselves, without it.
  const app = Fastify({ logger: false, bodyLimit: defaultBodyLimitBytes });
  const notFound = { error: 'not found' };

  app.setNotFoundHandler((_request, reply) => reply.code(404).send(notFound));
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) options.logger.error('Webhook receiver error', { error: error.message });
    // Fastify's messages for a body too large, not JSON or of another type say only that.
    return reply.code(status).send({ error: status >= 500 ? 'internal error' : error.message });
  });
  app.addHook('onResponse', (request, reply, done) => {
    const { workflowId } = (request.params ?? {}) as Partial<WebhookParams>;
    options.logger.info('Webhook answered', {
      method: request.method,
      // The route's pattern, never the path: the path carries the token.
      route: request.routeOptions.url ?? '(no route)',
      ...(typeof workflowId === 'string' ? { workflowId: workflowId.slice(0, 200) } : {}),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    });
    done();
  });

  app.get('/healthz', () => ({ status: 'ok' }));

  app.post<{ Params: WebhookParams }>(
    webhookRoute,
    { bodyLimit: options.bodyLimitBytes ?? defaultBodyLimitBytes },
    async (request, reply) => {
      const { workflowId, token } = request.params;
      if (workflowId.length > maxWorkflowIdLength || !isWebhookToken(options.secret, workflowId, token)) {
        return reply.code(404).send(notFound);
      }
      const batch = batchSchema.safeParse(request.body);
      if (!batch.success) {
        return reply.code(400).send({ error: 'expected a Bolna batch object with batch_id' });
      }
      const report: BolnaWebhookReport = {
        batchId: batch.data.batch_id,
        status: batch.data.status,
        counts: batch.data.execution_status ?? {},
      };
      let outcome: SignalOutcome;
      try {
        outcome = await options.signal(workflowId, report);
      } catch (error) {
        // Bolna retries on an error, and the campaign's safety-net poll catches what is never delivered.
        options.logger.warn('Could not signal the campaign', {
          workflowId,
          error: error instanceof Error ? error.message : String(error),
        });
        return reply.code(503).send({ error: 'could not reach the campaign; try again' });
      }
      // A campaign that has ended needs nothing more: a 2xx, so that Bolna stops retrying.
      return reply.code(outcome === 'signalled' ? 202 : 200).send({ outcome });
    },
  );
  return app;
}

/** How long a signal may take before the webhook is answered 503 (Bolna then retries). */
const signalTimeoutMs = 5_000;

/** Signals the campaign's current run (the workflow ID's latest, after any continue-as-new) through `client`. */
export function temporalSignaller(client: Client): CampaignSignaller {
  return async (workflowId, report) => {
    try {
      await client.withDeadline(Date.now() + signalTimeoutMs, () =>
        client.workflow.getHandle(workflowId).signal(bolnaWebhookSignal, report),
      );
      return 'signalled';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'gone';
      throw error;
    }
  };
}
