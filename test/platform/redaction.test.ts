import { Redactor } from '../../src/platform/redaction';

const key = 'bn-0123456789abcdef';
const redactor = new Redactor([key, 'tmprl-api-key-xyz', undefined, '', 'abc']);

test('every occurrence of every secret is replaced, the longer ones first', () => {
  expect(redactor.text(`Bearer ${key} and again ${key}; tmprl-api-key-xyz`)).toBe(
    'Bearer [redacted] and again [redacted]; [redacted]',
  );
  // Secrets too short to be told from ordinary text are not redacted: they would scramble every message.
  expect(redactor.text('abc')).toBe('abc');
});

test('values are copied with every string redacted: objects, arrays, errors, cycles', () => {
  const cause = new Error(`refused ${key}`);
  const value: Record<string, unknown> = {
    message: key,
    list: [1, `x${key}x`],
    error: cause,
    at: new Date(0),
  };
  value.self = value;
  const copy = redactor.value(value);
  expect(copy).not.toBe(value);
  expect(copy.message).toBe('[redacted]');
  expect(copy.list).toEqual([1, 'x[redacted]x']);
  expect(copy.error).toBeInstanceOf(Error);
  expect((copy.error as Error).message).toBe('refused [redacted]');
  expect((copy.error as Error).stack).not.toContain(key);
  expect(copy.at).toEqual(new Date(0));
  expect(copy.self).toBe(copy);
  // The original is left alone.
  expect(value.message).toBe(key);
  expect(cause.message).toContain(key);
});

test("an error's copy keeps its cause and failure type, redacted, and nothing else", () => {
  const cause = Object.assign(new Error(`Bolna refused ${key}`), { type: 'BolnaAuthError', header: key });
  const failure = new Error('Activity task failed', { cause });
  const copy = redactor.value({ error: failure }).error;
  expect(copy.message).toBe('Activity task failed');
  const copiedCause = copy.cause as Error & { type?: string; header?: string };
  expect(copiedCause).toBeInstanceOf(Error);
  expect(copiedCause.message).toBe('Bolna refused [redacted]');
  expect(copiedCause.type).toBe('BolnaAuthError');
  expect(copiedCause.header).toBeUndefined();
  expect(cause.message).toContain(key);
});
