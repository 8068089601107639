import type { Payload } from '@temporalio/common';
import { z } from 'zod';

/**
 * Payloads in the codec server protocol's JSON: the protobuf JSON mapping of `temporal.api.common.v1.Payloads`,
 * where metadata values and data are base64 (either alphabet, as protobuf JSON parsers accept both).
 */

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');

const payloadJson = z.object({
  metadata: z.record(z.string(), base64).nullish(),
  data: base64.nullish(),
});

export const payloadsJson = z.object({ payloads: z.array(payloadJson) });

export type PayloadJson = z.infer<typeof payloadJson>;

export function fromPayloadJson({ metadata, data }: PayloadJson): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
    ),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

export function toPayloadJson({ metadata, data }: Payload): PayloadJson {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
    data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
  };
}
