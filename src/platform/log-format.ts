import { formatWithOptions } from 'node:util';
import { DefaultLogger } from '@temporalio/worker';
import type { LogEntry, Logger, LogLevel } from '@temporalio/worker';

/**
 * How the worker writes its log lines: one JSON object per line when its output goes to a file, a pipe or a log
 * collector, readable text on a terminal. Every line carries what the SDK knows (workflow and activity lines their
 * workflow ID, run ID, type, namespace and task queue) and what we pass (`batchId`, `phase`). Redaction is not done
 * here: wrap the logger in `redactingLogger`, which hands this one copies without secrets.
 */

/** Where lines go: a TTY gets text, anything else JSON. */
interface LogStream {
  write(text: string): unknown;
  isTTY?: boolean;
  hasColors?: () => boolean;
}

/** A logger writing every entry at `level` and above to `stream` (the worker: stdout). */
export function streamLogger(level: LogLevel, stream: LogStream): Logger {
  const colors = stream.isTTY === true && (stream.hasColors?.() ?? false);
  const line = stream.isTTY ? (entry: LogEntry) => textLogLine(entry, colors) : jsonLogLine;
  return new DefaultLogger(level, (entry) => void stream.write(`${line(entry)}\n`));
}

/**
 * `{"time":"…Z","level":"info","message":"…", …metadata}`. Metadata keys come after the fixed three; one that
 * would replace them is kept as `meta.<key>`. Errors become `{name, message, stack}`; cycles, bigints and
 * functions are written so that a line is always valid JSON.
 */
export function jsonLogLine(entry: LogEntry): string {
  const line: Record<string, unknown> = {
    time: timeOf(entry),
    level: entry.level.toLowerCase(),
    message: entry.message,
  };
  for (const [key, value] of Object.entries(entry.meta ?? {})) {
    line[key in line ? `meta.${key}` : key] = value;
  }
  return JSON.stringify(line, jsonSafe());
}

/** `2026-06-23T11:55:00.000Z [INFO] message { metadata }`, as the SDK's default logger writes it. */
function textLogLine(entry: LogEntry, colors: boolean): string {
  const meta =
    entry.meta && Object.keys(entry.meta).length > 0 ? ` ${formatWithOptions({ colors }, entry.meta)}` : '';
  return `${timeOf(entry)} [${entry.level}] ${entry.message}${meta}`;
}

function timeOf(entry: LogEntry): string {
  return new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
}

/** A JSON.stringify replacer for values JSON has no form for. */
function jsonSafe(): (this: unknown, key: string, value: unknown) => unknown {
  // The objects on the path from the root to the value being written, as given and as written: meeting one again
  // is a cycle. (A value that is merely shared, not an ancestor, is written again.)
  const path: { given: object; written: object }[] = [];
  return function (this: unknown, _key: string, value: unknown): unknown {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') return undefined;
    if (value === null || typeof value !== 'object') return value;
    while (path.length > 0 && path.at(-1)?.written !== this) path.pop();
    if (path.some(({ given }) => given === value)) return '[Circular]';
    // message, stack and cause are not enumerable; a failure's own fields (type, nonRetryable, ...) are.
    const written = value instanceof Error ? errorFields(value) : value;
    path.push({ given: value, written });
    return written;
  };
}

function errorFields(error: Error): object {
  const { name, message, stack, cause } = error;
  return { ...error, name, message, stack, ...(cause === undefined ? {} : { cause }) };
}
