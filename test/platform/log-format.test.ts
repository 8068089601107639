import { LogTimestamp } from '@temporalio/worker';
import type { LogEntry } from '@temporalio/worker';
import { jsonLogLine, streamLogger } from '../../src/platform/log-format';
import { redactingLogger } from '../../src/platform/logging';
import { Redactor } from '../../src/platform/redaction';

/** The worker's log lines: JSON for collectors, text on a terminal, and no secret in either. */

const key = 'bn-0123456789abcdef';

/** A stream that keeps what is written, as the worker's stdout would receive it. */
function capture(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, hasColors: () => false, write: (text: string) => written.push(text) } };
}

function entry(overrides: Partial<LogEntry>): LogEntry {
  return { level: 'INFO', message: 'hello', timestampNanos: 1_782_215_700_123_456_789n, ...overrides };
}

test('a JSON line has the time, level and message first, then the metadata as it was given', () => {
  const line = jsonLogLine(
    entry({ meta: { workflowId: 'campaign-dec', batchId: 'b-1', phase: 'running', attempt: 2 } }),
  );
  expect(line).toBe(
    '{"time":"2026-06-23T11:55:00.123Z","level":"info","message":"hello",' +
      '"workflowId":"campaign-dec","batchId":"b-1","phase":"running","attempt":2}',
  );
});

test('errors, causes, bigints, cycles and clashing keys still make one line of valid JSON', () => {
  const cause = Object.assign(new Error('503 from Bolna'), { type: 'BolnaServerError' });
  const error = new Error('Activity task failed', { cause });
  const loop: Record<string, unknown> = { name: 'loop' };
  loop.self = loop;
  const meta = { error, rows: 10n ** 20n, level: 'mine', onDone: () => {}, loop };
  const line = jsonLogLine(entry({ level: 'WARN', meta }));
  expect(line).not.toContain('\n');
  const parsed = JSON.parse(line) as Record<string, unknown>;
  expect(parsed).toMatchObject({
    level: 'warn',
    'meta.level': 'mine',
    rows: '100000000000000000000',
    loop: { name: 'loop', self: '[Circular]' },
    error: {
      name: 'Error',
      message: 'Activity task failed',
      stack: expect.stringContaining('Activity task failed') as unknown,
      cause: { name: 'Error', message: '503 from Bolna', type: 'BolnaServerError' },
    },
  });
  expect(parsed).not.toHaveProperty('onDone');
  // A value met twice but not inside itself is written twice, not mistaken for a cycle.
  const shared = { batchId: 'b-1' };
  expect(JSON.parse(jsonLogLine(entry({ meta: { a: shared, b: shared } })))).toMatchObject({
    a: shared,
    b: shared,
  });
});

test('through the redacting logger, no JSON line holds a secret: message, metadata, errors and causes', () => {
  const { written, stream } = capture(false);
  const logger = redactingLogger(streamLogger('INFO', stream), new Redactor([key]));
  const cause = new Error(`refused Bearer ${key}`);
  logger.warn(`Bolna refused ${key}`, {
    workflowId: 'campaign-dec',
    request: { headers: { authorization: `Bearer ${key}` } },
    error: new Error(`call failed: ${key}`, { cause }),
  });
  logger.debug(`below the level ${key}`);
  expect(written).toHaveLength(1);
  expect(written[0]).toMatch(/^\{.*\}\n$/);
  expect(written[0]).not.toContain(key);
  const parsed = JSON.parse(written[0]!) as Record<string, unknown>;
  expect(parsed).toMatchObject({
    level: 'warn',
    message: 'Bolna refused [redacted]',
    workflowId: 'campaign-dec',
    request: { headers: { authorization: 'Bearer [redacted]' } },
    error: { message: 'call failed: [redacted]', cause: { message: 'refused Bearer [redacted]' } },
  });
});

test('a forwarded core log line keeps the time it was written', () => {
  const { written, stream } = capture(false);
  const logger = redactingLogger(streamLogger('INFO', stream), new Redactor([key]));
  logger.warn('core: poll failed', { [LogTimestamp]: 1_000_000_000n, peer: key });
  expect(JSON.parse(written[0]!)).toEqual({
    time: '1970-01-01T00:00:01.000Z',
    level: 'warn',
    message: 'core: poll failed',
    peer: '[redacted]',
  });
});

test('on a terminal the lines are text, redacted the same way', () => {
  const { written, stream } = capture(true);
  const logger = redactingLogger(streamLogger('INFO', stream), new Redactor([key]));
  logger.info(`Campaign phase: running ${key}`, { batchId: 'b-1' });
  logger.info('Worker polling');
  expect(written).toEqual([
    expect.stringMatching(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[INFO\] Campaign phase: running \[redacted\] \{ batchId: 'b-1' \}\n$/,
    ),
    expect.stringMatching(/^\S+Z \[INFO\] Worker polling\n$/),
  ]);
});
