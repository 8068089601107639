import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Bolna does not sign its webhooks, so the URL itself is the credential: each campaign's webhook URL ends in a token
 * only the holder of BOLNA_WEBHOOK_SECRET can compute, HMAC-SHA256 of the workflow ID. Derived, not stored: the
 * worker that creates the batch and the receiver agree on it without sharing state, and it never has to pass
 * through a workflow's input or history. It is the same for every run of a workflow ID (continue-as-new included).
 */

/** The campaign's token: unguessable without the secret, URL-safe (base64url, 43 characters). */
export function webhookToken(secret: string, workflowId: string): string {
  return createHmac('sha256', secret).update(workflowId, 'utf8').digest('base64url');
}

/** Whether `given` is the campaign's token, compared in constant time. */
export function isWebhookToken(secret: string, workflowId: string, given: string): boolean {
  const expected = Buffer.from(webhookToken(secret, workflowId), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The receiver's route, in Fastify's syntax: what `webhookUrl` builds and the receiver serves. */
export const webhookRoute = '/bolna/batches/:workflowId/:token';

/** The URL Bolna is given for the campaign `workflowId`: the public base URL, the route, the token. */
export function webhookUrl(baseUrl: string, secret: string, workflowId: string): string {
  const path = `/bolna/batches/${encodeURIComponent(workflowId)}/${webhookToken(secret, workflowId)}`;
  return baseUrl.replace(/\/+$/, '') + path;
}
