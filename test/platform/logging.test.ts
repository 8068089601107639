import { DefaultLogger } from '@temporalio/worker';
import type { LogEntry } from '@temporalio/worker';
import { redactingLogger } from '../../src/platform/logging';
import { Redactor } from '../../src/platform/redaction';

test('the worker logger redacts messages and metadata at every level', () => {
  const key = 'bn-0123456789abcdef';
  const entries: LogEntry[] = [];
  const logger = redactingLogger(
    new DefaultLogger('TRACE', (entry) => entries.push(entry)),
    new Redactor([key]),
  );
  logger.info(`refused ${key}`, { header: `Bearer ${key}`, error: new Error(key) });
  logger.warn(key);
  logger.log('ERROR', `a ${key}`);
  logger.trace(key);
  expect(entries.map((entry) => entry.level)).toEqual(['INFO', 'WARN', 'ERROR', 'TRACE']);
  expect(entries[0]?.message).toBe('refused [redacted]');
  expect(entries[0]?.meta).toMatchObject({ header: 'Bearer [redacted]' });
  const printed = entries.map((entry) => `${entry.message} ${JSON.stringify(entry.meta ?? {})}`).join('\n');
  expect(printed + String((entries[0]?.meta?.error as Error).stack)).not.toContain(key);
});
