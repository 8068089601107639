import type { Readable } from 'node:stream';
import { chain } from 'stream-chain';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/Pick';
import { streamArray } from 'stream-json/streamers/StreamArray';
import { executionSchema } from './schemas';
import type { Execution } from './schemas';

export interface ExecutionStreamErrors {
  /** Malformed JSON, no executions array, or an execution that fails the schema. */
  protocolError: (message: string, cause?: unknown) => Error;
  /** The body broke off mid-download (reset, body timeout). */
  networkError: (message: string, cause?: unknown) => Error;
}

/**
 * Parses an executions response body incrementally and yields validated executions one by one, so memory stays
 * flat however many rows the batch had. Accepts a bare array or the `data` array of a `{data, has_more}` envelope.
 */
export async function* streamExecutionArray(
  body: Readable,
  errors: ExecutionStreamErrors,
): AsyncGenerator<Execution> {
  let bodyFailure: unknown;
  body.once('error', (error) => (bodyFailure = error));
  let foundArray = false;
  const isExecutionArray = (stack: readonly unknown[], token: { name: string }): boolean => {
    const found =
      token.name === 'startArray' && (stack.length === 0 || (stack.length === 1 && stack[0] === 'data'));
    foundArray ||= found;
    return found;
  };
  const items = chain([
    body,
    parser({ streamValues: false }),
    pick({ filter: isExecutionArray, once: true }),
    streamArray(),
  ]);
  const iterator = (items as AsyncIterable<{ key: number; value: unknown }>)[Symbol.asyncIterator]();
  try {
    for (let index = 0; ; index += 1) {
      let next: IteratorResult<{ key: number; value: unknown }>;
      try {
        next = await iterator.next();
      } catch (cause) {
        if (bodyFailure !== undefined)
          throw errors.networkError('the executions download broke off', bodyFailure);
        throw errors.protocolError('executions response is not valid JSON', cause);
      }
      if (next.done) break;
      const result = executionSchema.safeParse(next.value.value);
      if (!result.success) {
        const issue = result.error.issues[0];
        throw errors.protocolError(
          `execution #${index}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`,
        );
      }
      yield result.data;
    }
    if (!foundArray)
      throw errors.protocolError('executions response has neither a top-level array nor `data`');
  } finally {
    items.destroy();
    body.destroy();
  }
}
