import { randomBytes } from 'node:crypto';
import { loadCodecServerConfig, loadPayloadKeys } from '../../src/codec/config';
import { ConfigError } from '../../src/platform/config-error';

const key = randomBytes(32).toString('base64');
const olderKey = randomBytes(32).toString('base64');

/** Whether `message` quotes any 8 characters in a row of `secret`. */
const quotesPartOf = (message: string, secret: string) =>
  Array.from({ length: secret.length - 7 }, (_, at) => secret.slice(at, at + 8)).some((part) =>
    message.includes(part),
  );

/** The error loadPayloadKeys throws for `env`, checked to quote no part of any key it was given. */
function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadPayloadKeys(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const { message } = error as Error;
    const secrets = [key, olderKey, env.BOLNA_PAYLOAD_KEY ?? '', env.BOLNA_PAYLOAD_OLD_KEYS ?? ''];
    for (const secret of secrets.filter((value) => value.length >= 8))
      expect(quotesPartOf(message, secret.replace(/^k\d=/, ''))).toBe(false);
    return message;
  }
  throw new Error('expected a ConfigError');
}

describe('payload keys', () => {
  test('off by default: no key, or blank variables, means no encryption', () => {
    expect(loadPayloadKeys({})).toBeUndefined();
    expect(
      loadPayloadKeys({ BOLNA_PAYLOAD_KEY: ' ', BOLNA_PAYLOAD_KEY_ID: '', BOLNA_PAYLOAD_OLD_KEYS: '' }),
    ).toBeUndefined();
  });

  test('a current key and decrypt-only older keys', () => {
    const keys = loadPayloadKeys({
      BOLNA_PAYLOAD_KEY: key,
      BOLNA_PAYLOAD_KEY_ID: '2026-06',
      BOLNA_PAYLOAD_OLD_KEYS: ` 2026-04=${olderKey} , 2026-01=${randomBytes(32).toString('base64')}`,
    });
    expect(keys?.current.id).toBe('2026-06');
    expect(keys?.current.key.export().equals(Buffer.from(key, 'base64'))).toBe(true);
    expect(keys?.decryptOnly.map((old) => old.id)).toEqual(['2026-04', '2026-01']);
    expect(keys?.decryptOnly[0]?.key.export().equals(Buffer.from(olderKey, 'base64'))).toBe(true);
    // Printed by mistake, a configuration shows no key material.
    expect(JSON.stringify(keys)).not.toContain(key);
  });

  test.each([
    ['16 bytes', randomBytes(16).toString('base64')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['hex, not base64', randomBytes(32).toString('hex')],
    ['a passphrase', 'correct horse battery staple, 44 characters!'],
  ])('a key that is not 32 bytes of base64 (%s) is refused, naming the variable, not the key', (_, bad) => {
    expect(refusal({ BOLNA_PAYLOAD_KEY: bad, BOLNA_PAYLOAD_KEY_ID: 'k1' })).toMatch(
      /BOLNA_PAYLOAD_KEY: must be the base64 of 32 random bytes/,
    );
  });

  test('a key needs its ID and an ID its key', () => {
    expect(refusal({ BOLNA_PAYLOAD_KEY: key })).toMatch(
      /BOLNA_PAYLOAD_KEY_ID: is required with BOLNA_PAYLOAD_KEY/,
    );
    expect(refusal({ BOLNA_PAYLOAD_KEY_ID: 'k1' })).toMatch(
      /BOLNA_PAYLOAD_KEY: is required with BOLNA_PAYLOAD_KEY_ID/,
    );
    expect(refusal({ BOLNA_PAYLOAD_OLD_KEYS: `k0=${olderKey}` })).toMatch(
      /BOLNA_PAYLOAD_KEY: is required with BOLNA_PAYLOAD_OLD_KEYS/,
    );
    expect(refusal({ BOLNA_PAYLOAD_KEY: key, BOLNA_PAYLOAD_KEY_ID: 'key one' })).toMatch(
      /BOLNA_PAYLOAD_KEY_ID: must be 1 to 64 letters, digits/,
    );
  });

  test('older keys: each entry is checked and named by its position, quoting nothing of it', () => {
    const current = { BOLNA_PAYLOAD_KEY: key, BOLNA_PAYLOAD_KEY_ID: 'k2' };
    // A bare key (its = padding looks like a separator) must not come back as an "ID".
    expect(refusal({ ...current, BOLNA_PAYLOAD_OLD_KEYS: olderKey })).toMatch(
      /BOLNA_PAYLOAD_OLD_KEYS: entry 1: write it as <key id>=<key>/,
    );
    const short = randomBytes(31).toString('base64');
    expect(refusal({ ...current, BOLNA_PAYLOAD_OLD_KEYS: `k0=${olderKey},k1=${short}` })).toMatch(
      /BOLNA_PAYLOAD_OLD_KEYS: entry 2: .*the key must be the base64 of 32 random bytes/,
    );
    expect(refusal({ ...current, BOLNA_PAYLOAD_OLD_KEYS: `k0=${olderKey},k0=${olderKey}` })).toMatch(
      /entry 2: its key ID is already listed/,
    );
    expect(refusal({ ...current, BOLNA_PAYLOAD_OLD_KEYS: `k2=${olderKey}` })).toMatch(
      /BOLNA_PAYLOAD_OLD_KEYS: 'k2' is the current BOLNA_PAYLOAD_KEY_ID/,
    );
  });
});

describe('codec server settings', () => {
  test('defaults: loopback, port 8888, the dev server Web UI as the only origin, no token', () => {
    expect(loadCodecServerConfig({})).toEqual({
      host: '127.0.0.1',
      port: 8888,
      corsOrigins: ['http://localhost:8233'],
      token: undefined,
    });
  });

  test('several origins, a trailing slash forgiven', () => {
    const config = loadCodecServerConfig({
      BOLNA_CODEC_SERVER_CORS_ORIGINS: 'http://localhost:8233/, https://temporal.example.com',
      BOLNA_CODEC_SERVER_TOKEN: 'a-token-long-enough-1234',
      BOLNA_CODEC_SERVER_PORT: '9000',
    });
    expect(config).toMatchObject({
      port: 9000,
      corsOrigins: ['http://localhost:8233', 'https://temporal.example.com'],
      token: 'a-token-long-enough-1234',
    });
  });

  test.each([
    ['BOLNA_CODEC_SERVER_CORS_ORIGINS', 'localhost:8233', /is not an origin like http:\/\/localhost:8233/],
    ['BOLNA_CODEC_SERVER_CORS_ORIGINS', 'http://localhost:8233/ui', /is not an origin/],
    ['BOLNA_CODEC_SERVER_CORS_ORIGINS', '*', /is not an origin/],
    ['BOLNA_CODEC_SERVER_PORT', '70000', /BOLNA_CODEC_SERVER_PORT/],
    ['BOLNA_CODEC_SERVER_TOKEN', 'short', /BOLNA_CODEC_SERVER_TOKEN: must be at least 16 characters/],
  ])('%s=%s is refused', (variable, value, message) => {
    expect(() => loadCodecServerConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadCodecServerConfig({ [variable]: value })).toThrow(new RegExp(variable));
    expect(() => loadCodecServerConfig({ [variable]: value })).toThrow(message);
  });
});
