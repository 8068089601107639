import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, METADATA_ENCODING_KEY } from '@temporalio/common';
import type { Payload } from '@temporalio/common';
import { loadPayloadKeys } from '../../src/codec/config';
import type { PayloadKeys } from '../../src/codec/config';
import {
  EncryptionCodec,
  encryptedEncoding,
  keyIdMetadataKey,
  PayloadDecryptionError,
} from '../../src/codec/encryption-codec';

/** Keys as an operator would configure them (base64 of 32 random bytes), through the real config parser. */
function keys(current: [id: string, key: string], ...older: [id: string, key: string][]): PayloadKeys {
  const parsed = loadPayloadKeys({
    BOLNA_PAYLOAD_KEY_ID: current[0],
    BOLNA_PAYLOAD_KEY: current[1],
    BOLNA_PAYLOAD_OLD_KEYS: older.map(([id, key]) => `${id}=${key}`).join(','),
  });
  if (!parsed) throw new Error('keys not configured');
  return parsed;
}

const newKey = () => randomBytes(32).toString('base64');
const april = newKey();
const june = newKey();

const campaignInput = { agentId: 'agent', csv: '/data/asha-contacts.csv', note: 'call +919876543210 (Asha)' };
const plainPayload = (): Payload => defaultPayloadConverter.toPayload(campaignInput);
const asText = (bytes: Uint8Array | null | undefined) =>
  Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
const wholePayloadText = (payload: Payload) =>
  [...Object.values(payload.metadata ?? {}).map(asText), asText(payload.data)].join('\n');

describe('EncryptionCodec', () => {
  test('round trip: what is stored says only that it is encrypted and with which key', async () => {
    const codec = new EncryptionCodec(keys(['2026-04', april]));
    const original = plainPayload();
    const [encrypted] = await codec.encode([original]);

    expect(asText(encrypted!.metadata![METADATA_ENCODING_KEY])).toBe(encryptedEncoding);
    expect(asText(encrypted!.metadata![keyIdMetadataKey])).toBe('2026-04');
    const stored = wholePayloadText(encrypted!);
    for (const secret of ['+919876543210', 'Asha', 'asha-contacts', 'json/plain'])
      expect(stored).not.toContain(secret);

    const [decoded] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(campaignInput);
    // The original metadata (json/plain) is restored too, not guessed.
    expect(asText(decoded!.metadata![METADATA_ENCODING_KEY])).toBe('json/plain');
  });

  test('every payload gets a fresh IV: the same value never encrypts to the same bytes', async () => {
    const codec = new EncryptionCodec(keys(['2026-04', april]));
    const [first, second] = await codec.encode([plainPayload(), plainPayload()]);
    expect(Buffer.from(first!.data!).equals(Buffer.from(second!.data!))).toBe(false);
    expect(Buffer.from(first!.data!).subarray(0, 12).equals(Buffer.from(second!.data!).subarray(0, 12))).toBe(
      false,
    );
  });

  test('rotation: new payloads use the current key; older ones decrypt while their key is configured', async () => {
    const before = new EncryptionCodec(keys(['2026-04', april]));
    const [writtenInApril] = await before.encode([plainPayload()]);

    const rotated = new EncryptionCodec(keys(['2026-06', june], ['2026-04', april]));
    const [writtenInJune] = await rotated.encode([plainPayload()]);
    expect(asText(writtenInJune!.metadata![keyIdMetadataKey])).toBe('2026-06');
    const decoded = await rotated.decode([writtenInApril!, writtenInJune!]);
    expect(decoded.map((payload) => defaultPayloadConverter.fromPayload(payload))).toEqual([
      campaignInput,
      campaignInput,
    ]);

    // Once the April key is dropped, April's payloads are refused by key ID, and the key itself is never quoted.
    const aprilDropped = new EncryptionCodec(keys(['2026-06', june]));
    const refusal = aprilDropped.decode([writtenInApril!]);
    await expect(refusal).rejects.toThrow(PayloadDecryptionError);
    await expect(refusal).rejects.toThrow(
      /encrypted with key ID "2026-04", which is not configured here \(known: 2026-06\).*BOLNA_PAYLOAD_OLD_KEYS/,
    );
    const message = await refusal.catch((error: Error) => error.message);
    for (const key of [april, june]) expect(message).not.toContain(key);
  });

  test('a payload whose key ID is unknown fails with an error naming the key ID', async () => {
    const [other] = await new EncryptionCodec(keys(['elsewhere', newKey()])).encode([plainPayload()]);
    await expect(new EncryptionCodec(keys(['2026-04', april])).decode([other!])).rejects.toThrow(
      /key ID "elsewhere", which is not configured here/,
    );
  });

  test('tampered ciphertext, tag or IV fails authentication instead of decrypting to something else', async () => {
    const codec = new EncryptionCodec(keys(['2026-04', april]));
    const [encrypted] = await codec.encode([plainPayload()]);
    const sealed = Buffer.from(encrypted!.data!);
    for (const offset of [0, 20, sealed.length - 1]) {
      const altered = Buffer.from(sealed);
      altered[offset] = altered[offset]! ^ 0x01;
      await expect(codec.decode([{ ...encrypted!, data: altered }])).rejects.toThrow(
        /key ID "2026-04" failed authentication/,
      );
    }
    await expect(codec.decode([{ ...encrypted!, data: sealed.subarray(0, 20) }])).rejects.toThrow(
      /truncated/,
    );
  });

  test('relabelling a payload with another key ID is detected, even if both IDs hold the same key', async () => {
    const codec = new EncryptionCodec(keys(['2026-04', april], ['alias', april]));
    const [encrypted] = await codec.encode([plainPayload()]);
    const relabelled = {
      ...encrypted!,
      metadata: { ...encrypted!.metadata, [keyIdMetadataKey]: Buffer.from('alias') },
    };
    await expect(codec.decode([relabelled])).rejects.toThrow(/key ID "alias" failed authentication/);
  });

  test('payloads that were never encrypted pass through decode unchanged', async () => {
    const codec = new EncryptionCodec(keys(['2026-04', april]));
    const plain = plainPayload();
    const binary = defaultPayloadConverter.toPayload(new Uint8Array([1, 2, 3]));
    const nothing = defaultPayloadConverter.toPayload(undefined);
    const decoded = await codec.decode([plain, binary, nothing]);
    expect(decoded[0]).toBe(plain);
    expect(decoded[1]).toBe(binary);
    expect(decoded[2]).toBe(nothing);
  });

  test('an encrypted payload without its key ID is refused', async () => {
    const codec = new EncryptionCodec(keys(['2026-04', april]));
    const [encrypted] = await codec.encode([plainPayload()]);
    const metadata = { ...encrypted!.metadata };
    delete metadata[keyIdMetadataKey];
    await expect(codec.decode([{ ...encrypted!, metadata }])).rejects.toThrow(/has no 'encryption-key-id'/);
  });
});
