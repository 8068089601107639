import { parseRetryAfter } from '../../src/bolna/retry-after';

const at = (iso: string) => Date.parse(iso);

describe('Retry-After', () => {
  const now = at('2026-06-23T07:00:00Z');
  test('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Tue, 23 Jun 2026 07:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter(['3'], now)).toBe(3000);
  });
  test('ignores what it cannot read, and never goes negative', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('Tue, 23 Jun 2026 06:00:00 GMT', now)).toBe(0);
  });
});
