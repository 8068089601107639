import type { DataConverter } from '@temporalio/common';
import { loadPayloadKeys } from './config';
import type { PayloadKeys } from './config';
import { EncryptionCodec } from './encryption-codec';

/**
 * The one data converter of workers, clients, the CLI and the demo, so they all read what the others wrote.
 * Without keys there is none: Temporal's defaults, plain JSON, exactly as before encryption existed.
 */
export function campaignDataConverter(keys: PayloadKeys | undefined): DataConverter | undefined {
  if (!keys) return undefined;
  return {
    payloadCodecs: [new EncryptionCodec(keys)],
    failureConverterPath: require.resolve('./failure-converter'),
  };
}

/** From BOLNA_PAYLOAD_KEY, BOLNA_PAYLOAD_KEY_ID and BOLNA_PAYLOAD_OLD_KEYS; a wrong value throws a ConfigError. */
export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  return campaignDataConverter(loadPayloadKeys(env));
}
