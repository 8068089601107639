import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PayloadKeys } from './config';

/**
 * Encrypts every payload with AES-256-GCM, the way Temporal recommends keeping personal data out of its history:
 * the whole original payload (metadata included) is serialised and sealed, and what Temporal stores says only
 * `binary/encrypted` and which key sealed it. Each payload gets a fresh random IV. The key ID is also bound into
 * the authentication tag, so relabelling a payload with another key ID is detected like any other tampering.
 *
 * Rotation: new payloads use the current key; payloads sealed with an older key decrypt while that key is still
 * configured. Payloads that were never encrypted (a workflow started with the plain `temporal` CLI, or before
 * encryption was turned on) pass through `decode` unchanged.
 */

export const encryptedEncoding = 'binary/encrypted';
export const keyIdMetadataKey = 'encryption-key-id';

const ivBytes = 12;
const tagBytes = 16;
const { Payload: PayloadMessage } = temporal.api.common.v1;

/** A payload this process cannot decrypt. The message names the key ID (never a key) and what to do. */
export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
}

const text = (bytes: Uint8Array | null | undefined) =>
  bytes ? Buffer.from(bytes).toString('utf8') : undefined;

/** A key ID read from a stored payload, safe to put in a message whatever bytes it holds. */
const printable = (keyId: string) => JSON.stringify(keyId.slice(0, 64));

export class EncryptionCodec implements PayloadCodec {
  readonly #current: { id: string; key: KeyObject };
  readonly #keys: ReadonlyMap<string, KeyObject>;

  constructor(keys: PayloadKeys) {
    this.#current = keys.current;
    this.#keys = new Map([keys.current, ...keys.decryptOnly].map(({ id, key }) => [id, key]));
  }

  // `then` so that a failure is a rejection, as callers of a codec expect, not a synchronous throw.
  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() => payloads.map((payload) => this.#encrypt(payload)));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() => payloads.map((payload) => this.#decrypt(payload)));
  }

  #encrypt(payload: Payload): Payload {
    const { id, key } = this.#current;
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
    cipher.setAAD(Buffer.from(id, 'utf8'));
    const plaintext = PayloadMessage.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: Buffer.from(encryptedEncoding, 'utf8'),
        [keyIdMetadataKey]: Buffer.from(id, 'utf8'),
      },
      data: sealed,
    };
  }

  #decrypt(payload: Payload): Payload {
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== encryptedEncoding) return payload;
    const keyId = text(payload.metadata?.[keyIdMetadataKey]);
    if (keyId === undefined)
      throw new PayloadDecryptionError(`An encrypted payload has no '${keyIdMetadataKey}' metadata`);
    const key = this.#keys.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `A payload was encrypted with key ID ${printable(keyId)}, which is not configured here ` +
          `(known: ${[...this.#keys.keys()].join(', ')}); add that key to BOLNA_PAYLOAD_OLD_KEYS ` +
          '(<key id>=<base64 key>)',
      );
    }
    const sealed = Buffer.from(payload.data ?? new Uint8Array());
    if (sealed.length < ivBytes + tagBytes)
      throw new PayloadDecryptionError(`A payload encrypted with key ID ${printable(keyId)} is truncated`);
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, ivBytes), {
      authTagLength: tagBytes,
    });
    decipher.setAAD(Buffer.from(keyId, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - tagBytes));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([
        decipher.update(sealed.subarray(ivBytes, sealed.length - tagBytes)),
        decipher.final(),
      ]);
    } catch {
      throw new PayloadDecryptionError(
        `A payload encrypted with key ID ${printable(keyId)} failed authentication: it was altered, or the ` +
          'key configured under that ID is not the one that encrypted it',
      );
    }
    return PayloadMessage.decode(plaintext);
  }
}
