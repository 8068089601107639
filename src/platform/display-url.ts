/**
 * A CSV source as it may be shown to people (Web UI summaries, errors, CLI output): an http(s) URL is cut to its
 * origin and path, because a signed URL's query string is a credential (and so is a `user:password@`, which the
 * origin leaves out). Anything else (a local path) is shown as it is.
 */
export function displayUrl(source: string): string {
  if (!/^https?:/i.test(source)) return source;
  try {
    const url = new URL(source);
    return `${url.origin}${url.pathname}`;
  } catch {
    // Not parseable, so no origin to keep: drop whatever could be a query, a fragment or credentials.
    return source.replace(/[?#].*$/s, '').replace(/\/\/[^/]*@/, '//');
  }
}
