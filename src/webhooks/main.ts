#!/usr/bin/env node
import { connectClient } from '../campaigns/connect';
import { loadConfig, workerSecrets } from '../config';
import { ConfigError } from '../platform/config-error';
import { streamLogger } from '../platform/log-format';
import { redactingLogger } from '../platform/logging';
import { Redactor } from '../platform/redaction';
import { buildWebhookReceiver, temporalSignaller } from './server';

/**
 * `npm run webhooks`: the webhook receiver, behind the proxy or load balancer that serves BOLNA_WEBHOOK_BASE_URL
 * with TLS. Same BOLNA_WEBHOOK_SECRET as the workers; Temporal from the standard TEMPORAL_* variables (it only
 * signals). Listens on BOLNA_WEBHOOK_HOST:BOLNA_WEBHOOK_PORT (default 127.0.0.1:8788) until SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.webhooks) {
    throw new ConfigError(
      'BOLNA_WEBHOOK_BASE_URL and BOLNA_WEBHOOK_SECRET must be set for the webhook receiver',
    );
  }
  const logger = redactingLogger(streamLogger('INFO', process.stdout), new Redactor(workerSecrets()));
  const client = await connectClient();
  const app = buildWebhookReceiver({
    secret: config.webhooks.secret,
    signal: temporalSignaller(client),
    logger,
  });
  const { host, port } = config.webhookReceiver;
  const address = await app.listen({ host, port });
  logger.info(`Webhook receiver listening on ${address}`, { publicBaseUrl: config.webhooks.baseUrl });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await app.close();
  await client.connection.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
