/**
 * An answer a handler hands back, written (or, for a lost response, withheld) by the server. Handlers return
 * replies instead of writing to the socket, so that failure injection can process a request and then drop the
 * answer.
 */
export type ReplyBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; contentType: string; text: string }
  /** A large JSON document produced piece by piece, never serialised whole. */
  | { kind: 'json-stream'; chunks: () => Iterable<string> };

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: ReplyBody;
}

/** A reply thrown from deep inside a handler (a 400, 403, 404, ...). */
export class HttpError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

export function jsonReply(status: number, value: unknown, headers?: Record<string, string>): Reply {
  return { status, body: { kind: 'json', value }, ...(headers ? { headers } : {}) };
}

/** Bolna's validation errors: 400 `{error, message}`, `error` the status code as an integer (its spec's form). */
export function badRequest(message: string): HttpError {
  return new HttpError(jsonReply(400, { error: 400, message }));
}

/** Starlette's plain-text answer to an unhandled exception in a handler. */
export function internalServerError(): Reply {
  return {
    status: 500,
    body: { kind: 'text', contentType: 'text/plain; charset=utf-8', text: 'Internal Server Error' },
  };
}

/** The message of an error body, for the request log. */
export function replyMessage(reply: Reply): string | undefined {
  if (reply.status < 400) return undefined;
  if (reply.body.kind === 'text') return reply.body.text;
  if (reply.body.kind !== 'json' || typeof reply.body.value !== 'object' || reply.body.value === null)
    return undefined;
  const body = reply.body.value as Record<string, unknown>;
  const message = body.message ?? body.detail ?? body.error;
  return typeof message === 'string' ? message : undefined;
}
