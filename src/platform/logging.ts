import { LogTimestamp } from '@temporalio/worker';
import type { Logger, LogLevel, LogMetadata } from '@temporalio/worker';
import type { Redactor } from './redaction';

/** A logger that redacts every message and metadata value before passing them on. */
export function redactingLogger(inner: Logger, redactor: Redactor): Logger {
  const forward =
    (level: LogLevel) =>
    (message: string, meta?: LogMetadata): void => {
      inner.log(level, redactor.text(message), meta && redacted(meta, redactor));
    };
  return {
    log: (level, message, meta) => forward(level)(message, meta),
    trace: forward('TRACE'),
    debug: forward('DEBUG'),
    info: forward('INFO'),
    warn: forward('WARN'),
    error: forward('ERROR'),
  };
}

/** The metadata without secrets; a core log line keeps the time it was written (a symbol key the copy drops). */
function redacted(meta: LogMetadata, redactor: Redactor): LogMetadata {
  const copy = redactor.value(meta);
  const timestamp: unknown = meta[LogTimestamp];
  return timestamp === undefined ? copy : { ...copy, [LogTimestamp]: timestamp };
}
