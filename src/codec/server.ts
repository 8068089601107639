import { timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PayloadCodec } from '@temporalio/common';
import { ConfigError } from '../platform/config-error';
import { loadCodecServerConfig, loadPayloadKeys } from './config';
import { EncryptionCodec, PayloadDecryptionError } from './encryption-codec';
import { fromPayloadJson, payloadsJson, toPayloadJson } from './payload-json';

/**
 * The codec server (`npm run codec-server`): lets the Temporal Web UI and `temporal … --codec-endpoint` show
 * decrypted payloads to people who hold the key, without the Temporal server ever seeing it. Temporal's codec
 * server protocol: POST `…/encode` and `…/decode` (only the last path segment counts, so it can be mounted under
 * any prefix) with `{"payloads": [...]}` in protobuf JSON.
 *
 * Decrypted payloads are personal data, so: loopback by default; CORS only for the configured Web UI origins, and
 * a request from any other origin is refused outright (the browser would hide the answer, but the decryption would
 * already have happened); JSON bodies only, which browsers cannot send cross-origin without a preflight; an
 * optional bearer token; answers are never cached.
 */

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Origins allowed to call from a browser, e.g. the Web UI's `http://localhost:8233`. */
  corsOrigins: readonly string[];
  /** When set, every encode/decode request must carry `Authorization: Bearer <token>`. */
  token?: string | undefined;
}

export interface RunningCodecServer {
  /** e.g. `http://127.0.0.1:8888`, what `--codec-endpoint` and `--ui-codec-endpoint` take. */
  url: string;
  close(): Promise<void>;
}

/** The Web UI sends the namespace and, when configured to pass its access token, an Authorization header. */
const allowedHeaders = 'content-type, x-namespace, authorization';
/** Payloads are capped at 2 MB each by Temporal; a history page can hold several. */
const maxBodyBytes = 16 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  if (body === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new HttpError(413, `request body over ${maxBodyBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

async function runCodec(
  codec: PayloadCodec,
  operation: 'encode' | 'decode',
  req: IncomingMessage,
): Promise<unknown> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    throw new HttpError(415, 'send the payloads as Content-Type: application/json');
  let json: unknown;
  try {
    json = JSON.parse(await readBody(req));
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'the body is not JSON');
  }
  const parsed = payloadsJson.safeParse(json);
  if (!parsed.success)
    throw new HttpError(400, `expected {"payloads": [{"metadata": {...}, "data": "<base64>"}]}`);
  const payloads = parsed.data.payloads.map(fromPayloadJson);
  try {
    const result = await codec[operation](payloads);
    return { payloads: result.map(toPayloadJson) };
  } catch (error) {
    // Says which key ID is missing or which payload was altered; never a key, never a payload.
    if (error instanceof PayloadDecryptionError) throw new HttpError(422, error.message);
    throw error;
  }
}

async function handle(options: CodecServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (!options.corsOrigins.includes(origin)) {
      send(res, 403, { error: `origin ${origin} is not allowed (BOLNA_CODEC_SERVER_CORS_ORIGINS)` });
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Vary', 'Origin');
  }
  if (req.method === 'OPTIONS') {
    // A preflight carries no credentials, so it is answered before the token check.
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', allowedHeaders);
    res.setHeader('Access-Control-Max-Age', '600');
    send(res, 204);
    return;
  }
  const operation = /\/(encode|decode)$/.exec(new URL(req.url ?? '/', 'http://codec').pathname)?.[1];
  if (operation !== 'encode' && operation !== 'decode') {
    send(res, 404, { error: 'POST …/encode or …/decode' });
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST, OPTIONS');
    send(res, 405, { error: `${operation} takes POST` });
    return;
  }
  if (options.token !== undefined) {
    const [scheme, given] = (req.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || given === undefined || !sameSecret(given, options.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      send(res, 401, { error: 'a valid Authorization: Bearer <BOLNA_CODEC_SERVER_TOKEN> is required' });
      return;
    }
  }
  send(res, 200, await runCodec(options.codec, operation, req));
}

export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const server = createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      if (error instanceof HttpError) {
        if (error.status === 413) res.setHeader('Connection', 'close');
        send(res, error.status, { error: error.message });
        return;
      }
      console.error('Codec server error:', error instanceof Error ? error.message : error);
      send(res, 500, { error: 'internal error' });
    });
  });
  const host = options.host ?? '127.0.0.1';
  server.listen(options.port, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** `npm run codec-server`: the key from the same variables as the workers, until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const keys = loadPayloadKeys();
  if (!keys)
    throw new ConfigError(
      'BOLNA_PAYLOAD_KEY is not set: the codec server decrypts with the same keys as the workers ' +
        '(BOLNA_PAYLOAD_KEY, BOLNA_PAYLOAD_KEY_ID, BOLNA_PAYLOAD_OLD_KEYS)',
    );
  const config = loadCodecServerConfig();
  const server = await startCodecServer({ codec: new EncryptionCodec(keys), ...config });
  console.log(
    `Codec server at ${server.url} (key ID ${keys.current.id}; Web UI origins: ${config.corsOrigins.join(', ')}` +
      `${config.token ? '; bearer token required' : ''})`,
  );
  console.log(
    `Web UI: temporal server start-dev --ui-codec-endpoint ${server.url}, or the UI's Data Encoder setting. ` +
      `CLI: temporal workflow show --codec-endpoint ${server.url} …`,
  );
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await server.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
