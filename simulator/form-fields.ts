import { badRequest } from './http-reply';

/** A field that may be sent at most once: sending it twice is ambiguous, so it is a 400, not a silent pick. */
export function singleField(fields: Record<string, string[]>, name: string): string | undefined {
  const values = fields[name];
  if (values && values.length > 1) throw badRequest(`The field ${name} was sent ${values.length} times`);
  return values?.[0];
}
