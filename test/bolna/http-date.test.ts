import { parseHttpDate } from '../../src/bolna/http-date';

/** Bolna's clock comes from its `Date` header: every HTTP date form is read, anything else ignored. */

const instant = Date.parse('1994-11-06T08:49:37Z');

test.each([
  ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
  ['obsolete RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT'],
  ['obsolete asctime (GMT without saying so)', 'Sun Nov  6 08:49:37 1994'],
  ['surrounding spaces', '  Sun, 06 Nov 1994 08:49:37 GMT '],
  ['the first of repeated headers', ['Sun, 06 Nov 1994 08:49:37 GMT', 'Mon, 07 Nov 1994 08:49:37 GMT']],
])('reads %s', (_form, header) => {
  expect(parseHttpDate(header)).toBe(instant);
});

test.each([
  ['absent', undefined],
  ['empty', ''],
  ['garbage', 'yesterday'],
  ['an ISO date, which is not an HTTP date', '1994-11-06T08:49:37Z'],
  ['a date in another zone', 'Sun, 06 Nov 1994 08:49:37 +0100'],
  ['an impossible time', 'Sun, 06 Nov 1994 25:49:37 GMT'],
])('ignores %s', (_what, header) => {
  expect(parseHttpDate(header)).toBeUndefined();
});
