import { randomBytes } from 'node:crypto';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import type { FailureConverter } from '@temporalio/common';
import { campaignDataConverter, dataConverterFromEnv } from '../../src/codec/data-converter';
import { EncryptionCodec } from '../../src/codec/encryption-codec';

const env = { BOLNA_PAYLOAD_KEY: randomBytes(32).toString('base64'), BOLNA_PAYLOAD_KEY_ID: 'k1' };

test('no key, no data converter: Temporal defaults, exactly as before', () => {
  expect(campaignDataConverter(undefined)).toBeUndefined();
  expect(dataConverterFromEnv({})).toBeUndefined();
});

test('a wrong key stops the process at start-up, naming the variable', () => {
  expect(() => dataConverterFromEnv({ ...env, BOLNA_PAYLOAD_KEY: 'too-short' })).toThrow(
    /BOLNA_PAYLOAD_KEY:/,
  );
});

test('with a key: the codec encrypts, and error messages and stack traces become payloads it encrypts', async () => {
  const converter = dataConverterFromEnv(env);
  const codec = converter?.payloadCodecs?.[0];
  expect(codec).toBeInstanceOf(EncryptionCodec);
  expect(converter?.payloadCodecs).toHaveLength(1);

  // Loaded by path, as the worker's bundler and the client load it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { failureConverter } = require(converter!.failureConverterPath!) as {
    failureConverter: FailureConverter;
  };
  const error = ApplicationFailure.nonRetryable(
    "line 3, contact_number: 'Ravi Kumar' is not a valid phone number; line 4: +919876543210 duplicates line 2",
    'CsvValidationError',
  );
  const failure = failureConverter.errorToFailure(error, defaultPayloadConverter);
  expect(failure.message).not.toContain('Ravi');
  expect(failure.stackTrace ?? '').not.toContain('Ravi');
  expect(failure.encodedAttributes).toBeDefined();

  const [encrypted] = await codec!.encode([failure.encodedAttributes!]);
  expect(Buffer.from(encrypted!.data!).toString('latin1')).not.toMatch(/Ravi|9876543210/);
  const [decrypted] = await codec!.decode([encrypted!]);
  const restored = failureConverter.failureToError(
    { ...failure, encodedAttributes: decrypted! },
    defaultPayloadConverter,
  );
  expect(restored.message).toBe(error.message);
});
