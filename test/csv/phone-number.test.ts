import { normalisePhoneNumber } from '../../src/csv/phone-number';

describe('normalisePhoneNumber', () => {
  it.each([
    ['+919876543210', '+919876543210'],
    ['+91 98765 43210', '+919876543210'],
    ['  +91-98765-43210  ', '+919876543210'],
    ['+91 (98765) 43.210', '+919876543210'],
    ['+91\u00a098765\u00a043210', '+919876543210'],
    ['+91 98765–43210', '+919876543210'],
    ['+1 (201) 555-0123', '+12015550123'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('gives %j as %s', (written, e164) => {
    expect(normalisePhoneNumber(written)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['98765 43210', '+919876543210'],
    ['098765 43210', '+919876543210'],
    ['0091 98765 43210', '+919876543210'],
    ['+1 201 555 0123', '+12015550123'],
  ])('with default country IN, gives %j as %s', (written, e164) => {
    expect(normalisePhoneNumber(written, 'IN')).toEqual({ ok: true, e164 });
  });

  it('refuses a number that cannot exist, using the full metadata (the min set would accept it)', () => {
    // +971 99… has a valid length for the UAE, which is all the min metadata checks, but no such numbers exist.
    expect(normalisePhoneNumber('+971992597366')).toEqual({
      ok: false,
      message: "'+971992597366' is not a valid phone number",
    });
  });

  it.each([
    ['9.19876543E+11', 'scientific notation'],
    ['9,19876543E+11', 'scientific notation'],
    ['9.19876543e11', 'scientific notation'],
    ['919876543210.0', "ends in '.0'"],
    ['+919876543210.00', "ends in '.0'"],
  ])('explains how a spreadsheet mangled %j', (written, hint) => {
    const check = normalisePhoneNumber(written, 'IN');

    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toContain(hint);
    expect(!check.ok && check.message).toContain('format the column as text');
  });

  it.each([['1-800-FLOWERS'], ['+91 98765 43210 ext 12'], ['+91+9876543210'], ['tel:+919876543210']])(
    'refuses %j, which has characters a phone number cannot',
    (written) => {
      expect(normalisePhoneNumber(written, 'IN')).toEqual({
        ok: false,
        message: `'${written}' is not a valid phone number; use only digits, spaces, dashes, dots, parentheses and a leading +`,
      });
    },
  );

  it('refuses an empty or blank number', () => {
    expect(normalisePhoneNumber('   ', 'IN')).toEqual({ ok: false, message: 'the phone number is empty' });
  });

  it('shortens a long value it quotes back', () => {
    const check = normalisePhoneNumber('9'.repeat(200));

    expect(check).toEqual({
      ok: false,
      message: `'${'9'.repeat(59)}…' needs a country code; write it with + and the country code, like +91 98765 43210`,
    });
  });
});
