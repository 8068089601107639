/**
 * Takes secrets (the Bolna key, and any other credential the worker holds) out of text before it leaves the
 * process: in an activity's error, a log line, or anything the workflow keeps in `progress`. The Bolna client
 * already never puts its key in a message; this is the layer that catches whatever else might (a CSV that quotes
 * an environment file, a library error that echoes a header).
 */
export class Redactor {
  static readonly placeholder = '[redacted]';
  readonly #secrets: readonly string[];

  /** Blank and very short values are ignored: redacting `a` everywhere would scramble every message. */
  constructor(secrets: readonly (string | undefined)[]) {
    this.#secrets = secrets
      .filter((secret): secret is string => secret !== undefined && secret.trim().length >= 6)
      .sort((a, b) => b.length - a.length);
  }

  text(text: string): string {
    return this.#secrets.reduce(
      (redacted, secret) => redacted.split(secret).join(Redactor.placeholder),
      text,
    );
  }

  /**
   * A copy of `value` with every string in it redacted (objects, arrays and errors included). An error's copy keeps
   * its name, message, stack, cause and failure type, nothing else.
   */
  value<T>(value: T): T {
    return this.#copy(value, new WeakMap()) as T;
  }

  #copy(value: unknown, seen: WeakMap<object, unknown>): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return value;
    const known = seen.get(value);
    if (known !== undefined) return known;
    if (value instanceof Error) {
      const copy = new Error(this.text(value.message));
      seen.set(value, copy);
      copy.name = value.name;
      if (value.stack === undefined) delete copy.stack;
      else copy.stack = this.text(value.stack);
      // Why it failed (an activity failure's cause is the error the activity threw) and a Temporal failure's type.
      if (value.cause !== undefined) copy.cause = this.#copy(value.cause, seen);
      const { type } = value as { type?: unknown };
      if (typeof type === 'string') Object.assign(copy, { type: this.text(type) });
      return copy;
    }
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      seen.set(value, copy);
      for (const item of value) copy.push(this.#copy(item, seen));
      return copy;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype) return value; // Dates, buffers: no secrets as text
    const copy: Record<string, unknown> = {};
    seen.set(value, copy);
    for (const [key, item] of Object.entries(value)) copy[key] = this.#copy(item, seen);
    return copy;
  }
}
