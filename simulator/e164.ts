/** E.164 as Bolna documents it: `+`, a country code not starting with 0, 8 to 15 digits in all, nothing else. */
const e164 = /^\+[1-9]\d{7,14}$/;

export function isE164(value: string): boolean {
  return e164.test(value);
}
