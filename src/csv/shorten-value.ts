/** Longest value quoted back to the user: enough to recognise it, short enough for a Temporal payload. */
const maxQuotedValueLength = 60;

/** A field as written in the file, cut short (with "…") if it is long, e.g. a whole row caught in a stray quote. */
export function shortenValue(value: string): string {
  return value.length <= maxQuotedValueLength ? value : `${value.slice(0, maxQuotedValueLength - 1)}…`;
}
