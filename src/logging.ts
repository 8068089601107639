import type { Logger, LogLevel, LogMetadata } from '@temporalio/worker';
import type { Redactor } from './redaction';

/** A logger that redacts every message and metadata value before passing them on. */
export function redactingLogger(inner: Logger, redactor: Redactor): Logger {
  const forward =
    (level: LogLevel) =>
    (message: string, meta?: LogMetadata): void => {
      inner.log(level, redactor.text(message), meta && redactor.value(meta));
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
