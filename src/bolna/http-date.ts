const day = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const longDay = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const month = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const time = '\\d{2}:\\d{2}:\\d{2}';

/** The three forms RFC 9110 (§5.6.7) tells recipients to accept; the last has no zone but means GMT. */
const imfFixdate = new RegExp(`^${day}, \\d{2} ${month} \\d{4} ${time} GMT$`);
const rfc850Date = new RegExp(`^${longDay}, \\d{2}-${month}-\\d{2} ${time} GMT$`);
const asctimeDate = new RegExp(`^${day} ${month} [ \\d]\\d ${time} \\d{4}$`);

/**
 * Reads an HTTP date (a `Date` header, say) as epoch milliseconds; undefined when absent or not an HTTP date, so
 * a proxy's odd header can never pass for the server's clock.
 */
export function parseHttpDate(header: string | string[] | undefined): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  let ms = Number.NaN;
  if (imfFixdate.test(value) || rfc850Date.test(value)) ms = Date.parse(value);
  else if (asctimeDate.test(value)) ms = Date.parse(`${value} GMT`);
  return Number.isNaN(ms) ? undefined : ms;
}
