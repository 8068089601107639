import { createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from '../platform/config-error';

/**
 * The payload encryption settings, parsed once with zod like src/config.ts. Off unless BOLNA_PAYLOAD_KEY is set.
 * Messages name the variable and never quote a key: a refused key is still a secret.
 */

export interface PayloadKey {
  id: string;
  /** A KeyObject rather than bytes, so logging a configuration by mistake prints no key material. */
  key: KeyObject;
}

export interface PayloadKeys {
  /** Encrypts every new payload. */
  current: PayloadKey;
  /** Earlier keys, kept only to decrypt what they encrypted (histories outlive a rotation). */
  decryptOnly: PayloadKey[];
}

export interface CodecServerConfig {
  host: string;
  port: number;
  /** Browser origins (the Web UI's) allowed to call the codec server. */
  corsOrigins: string[];
  /** When set, every encode/decode request must carry `Authorization: Bearer <token>`. */
  token: string | undefined;
}

const keyBytes = 32;
const keyIdPattern = /^[A-Za-z0-9._-]{1,64}$/;
const keyIdRule = 'must be 1 to 64 letters, digits, dots, dashes or underscores';
const keyRule = `must be the base64 of ${keyBytes} random bytes (e.g. openssl rand -base64 ${keyBytes})`;

/** An unset variable and an empty one mean the same: not configured. */
const blankIsUnset = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema);

/** Strict base64 (openssl's alphabet), exactly 32 bytes; undefined for anything else. */
function parseKey(text: string): KeyObject | undefined {
  const trimmed = text.trim();
  if (trimmed.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed, 'base64');
  return bytes.length === keyBytes ? createSecretKey(bytes) : undefined;
}

const aesKey = z.string().transform((text, ctx) => {
  const key = parseKey(text);
  if (key) return key;
  ctx.addIssue({ code: 'custom', message: keyRule });
  return z.NEVER;
});

const keyId = z.string().trim().regex(keyIdPattern, keyIdRule);

/**
 * `id=base64,id=base64`. Entries are named by position only: a malformed entry may be a bare key (base64 can look
 * like an ID), so nothing from this variable is quoted back.
 */
const olderKeys = z.string().transform((text, ctx) => {
  const keys: PayloadKey[] = [];
  text.split(',').forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    const separator = entry.indexOf('=');
    const id = entry.slice(0, Math.max(separator, 0)).trim();
    const key = separator < 0 ? undefined : parseKey(entry.slice(separator + 1));
    if (!keyIdPattern.test(id) || !key)
      ctx.addIssue({
        code: 'custom',
        message: `${where}: write it as <key id>=<key>, where the id ${keyIdRule} and the key ${keyRule}`,
      });
    else if (keys.some((known) => known.id === id))
      ctx.addIssue({ code: 'custom', message: `${where}: its key ID is already listed` });
    else keys.push({ id, key });
  });
  return keys;
});

/** The payload keys; each variable described for docs/configuration.md (`npm run docs:config`). */
export const payloadKeysSchema = z
  .object({
    BOLNA_PAYLOAD_KEY: blankIsUnset(aesKey.optional()).meta({
      description:
        'payload encryption (see [Payload encryption](encryption.md)): base64 of 32 random bytes; with `BOLNA_PAYLOAD_KEY_ID`',
      whenUnset: '— (off)',
    }),
    BOLNA_PAYLOAD_KEY_ID: blankIsUnset(keyId.optional()).meta({
      description: 'an ID for the key (`A-Za-z0-9._-`), recorded with every payload so keys can rotate',
      whenUnset: '— (off)',
    }),
    BOLNA_PAYLOAD_OLD_KEYS: blankIsUnset(olderKeys.optional()).meta({
      description: 'earlier keys, decrypt only: `id=base64,id=base64`',
      whenUnset: '—',
    }),
  })
  .superRefine((vars, ctx) => {
    const keySet = vars.BOLNA_PAYLOAD_KEY !== undefined;
    if (keySet && vars.BOLNA_PAYLOAD_KEY_ID === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['BOLNA_PAYLOAD_KEY_ID'],
        message: 'is required with BOLNA_PAYLOAD_KEY: it is recorded with every payload so keys can rotate',
      });
    if (!keySet && vars.BOLNA_PAYLOAD_KEY_ID !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['BOLNA_PAYLOAD_KEY'],
        message: 'is required with BOLNA_PAYLOAD_KEY_ID',
      });
    if (!keySet && vars.BOLNA_PAYLOAD_OLD_KEYS !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['BOLNA_PAYLOAD_KEY'],
        message:
          'is required with BOLNA_PAYLOAD_OLD_KEYS: older keys only decrypt, new payloads need a current key',
      });
    const current = vars.BOLNA_PAYLOAD_KEY_ID;
    if (current !== undefined && vars.BOLNA_PAYLOAD_OLD_KEYS?.some((old) => old.id === current))
      ctx.addIssue({
        code: 'custom',
        path: ['BOLNA_PAYLOAD_OLD_KEYS'],
        message: `'${current}' is the current BOLNA_PAYLOAD_KEY_ID; give each key its own ID`,
      });
  });

const origin = z.string().transform((text, ctx) => {
  const trimmed = text.trim().replace(/\/$/, '');
  let parsed: URL | undefined;
  try {
    parsed = new URL(trimmed);
  } catch {
    parsed = undefined;
  }
  if (parsed && /^https?:$/.test(parsed.protocol) && parsed.origin === trimmed) return trimmed;
  ctx.addIssue({ code: 'custom', message: `'${trimmed}' is not an origin like http://localhost:8233` });
  return z.NEVER;
});

/** The codec server; each variable described for docs/configuration.md. */
export const codecServerSchema = z.object({
  BOLNA_CODEC_SERVER_HOST: blankIsUnset(z.string().trim().default('127.0.0.1')).meta({
    description: 'where `npm run codec-server` listens',
  }),
  BOLNA_CODEC_SERVER_PORT: blankIsUnset(z.coerce.number().int().min(0).max(65535).default(8888)).meta({
    description: 'the port `npm run codec-server` listens on',
  }),
  BOLNA_CODEC_SERVER_CORS_ORIGINS: blankIsUnset(
    z
      .string()
      .default('http://localhost:8233')
      .transform((text) => text.split(',').filter((entry) => entry.trim() !== ''))
      .pipe(z.array(origin)),
  ).meta({ description: 'Web UI origins allowed to call the codec server (comma-separated)' }),
  BOLNA_CODEC_SERVER_TOKEN: blankIsUnset(
    z.string().trim().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 24)').optional(),
  ).meta({
    description: 'when set, the codec server wants `Authorization: Bearer <token>` (16+ characters)',
    whenUnset: '—',
  }),
});

function parseOrThrow<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv): T {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
}

/** The keys, or undefined when payload encryption is off (no BOLNA_PAYLOAD_KEY). */
export function loadPayloadKeys(env: NodeJS.ProcessEnv = process.env): PayloadKeys | undefined {
  const vars = parseOrThrow(payloadKeysSchema, env);
  if (vars.BOLNA_PAYLOAD_KEY === undefined || vars.BOLNA_PAYLOAD_KEY_ID === undefined) return undefined;
  return {
    current: { id: vars.BOLNA_PAYLOAD_KEY_ID, key: vars.BOLNA_PAYLOAD_KEY },
    decryptOnly: vars.BOLNA_PAYLOAD_OLD_KEYS ?? [],
  };
}

export function loadCodecServerConfig(env: NodeJS.ProcessEnv = process.env): CodecServerConfig {
  const vars = parseOrThrow(codecServerSchema, env);
  return {
    host: vars.BOLNA_CODEC_SERVER_HOST,
    port: vars.BOLNA_CODEC_SERVER_PORT,
    corsOrigins: vars.BOLNA_CODEC_SERVER_CORS_ORIGINS,
    token: vars.BOLNA_CODEC_SERVER_TOKEN,
  };
}
