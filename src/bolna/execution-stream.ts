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

/** What one executions response said about itself, besides the executions. */
export interface ExecutionListPage {
  /** How many executions it held. */
  count: number;
  /** The id of its first execution, to notice a server that answers every page with the same one. */
  firstId: string | undefined;
  /** `has_more: true` in a `{data, has_more}` envelope: there are further pages. A bare array never has more. */
  hasMore: boolean;
  /** The envelope's `page_number` and `page_size`, when it states them. */
  pageNumber: number | undefined;
  pageSize: number | undefined;
}

interface Token {
  name: string;
  value?: unknown;
}

/**
 * Parses an executions response body incrementally and yields validated executions one by one, so memory stays
 * flat however many rows the batch had. Accepts a bare array or the `data` array of a `{data, has_more}` envelope
 * (its `has_more`, `page_number` and `page_size` may come before or after `data`), and returns what the envelope
 * said about paging.
 */
export async function* streamExecutionArray(
  body: Readable,
  errors: ExecutionStreamErrors,
): AsyncGenerator<Execution, ExecutionListPage> {
  let bodyFailure: unknown;
  body.once('error', (error) => (bodyFailure = error));
  let foundArray = false;
  const isExecutionArray = (stack: readonly unknown[], token: { name: string }): boolean => {
    const found =
      token.name === 'startArray' && (stack.length === 0 || (stack.length === 1 && stack[0] === 'data'));
    foundArray ||= found;
    return found;
  };
  const tokens = parser({ streamValues: false });
  const envelope = new EnvelopeFields();
  // A second reader of the same tokens, beside the pipe: it costs no extra stream stage per token.
  tokens.on('data', (token: Token) => envelope.observe(token));
  const items = chain([body, tokens, pick({ filter: isExecutionArray, once: true }), streamArray()]);
  const iterator = (items as AsyncIterable<{ key: number; value: unknown }>)[Symbol.asyncIterator]();
  let count = 0;
  let firstId: string | undefined;
  try {
    for (;;) {
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
          `execution #${count}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`,
        );
      }
      firstId ??= result.data.id;
      count += 1;
      yield result.data;
    }
    if (!foundArray)
      throw errors.protocolError('executions response has neither a top-level array nor `data`');
  } finally {
    items.destroy();
    body.destroy();
  }
  return {
    count,
    firstId,
    hasMore: envelope.hasMore,
    pageNumber: envelope.pageNumber,
    pageSize: envelope.pageSize,
  };
}

/** Picks `has_more`, `page_number` and `page_size` out of the top level of a JSON object's token stream. */
class EnvelopeFields {
  hasMore = false;
  pageNumber: number | undefined;
  pageSize: number | undefined;
  #depth = 0;
  #key: string | undefined;

  observe(token: Token): void {
    if (token.name === 'startObject' || token.name === 'startArray') {
      this.#depth += 1;
      if (this.#depth === 2) this.#key = undefined;
    } else if (token.name === 'endObject' || token.name === 'endArray') {
      this.#depth -= 1;
    } else if (this.#depth === 1 && token.name === 'keyValue') {
      this.#key = String(token.value);
    } else if (this.#depth === 1 && this.#key !== undefined) {
      this.#record(this.#key, token);
      this.#key = undefined;
    }
  }

  #record(key: string, token: Token): void {
    if (key === 'has_more') this.hasMore = token.name === 'trueValue';
    const number = token.name === 'numberValue' ? Number(token.value) : undefined;
    const wholePositive = number !== undefined && Number.isInteger(number) && number > 0 ? number : undefined;
    if (key === 'page_number') this.pageNumber = wholePositive;
    if (key === 'page_size') this.pageSize = wholePositive;
  }
}
