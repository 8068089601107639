import { timezones } from 'libphonenumber-geo-carrier';
import { parsePhoneNumberWithError } from 'libphonenumber-js';
import { DateTime } from 'luxon';
import {
  indexZonesByPrefix,
  recipientZones,
  zoneSetKey,
  zonesOfNumber,
} from '../../src/outreach/recipient-zones';

describe('zonesOfNumber', () => {
  it('finds one zone for a number whose area code has one', () => {
    expect(zonesOfNumber('+12125550100')).toEqual(['America/New_York']);
    expect(zonesOfNumber('+14155550100')).toEqual(['America/Los_Angeles']);
  });

  it('finds every zone of a US area code that spans several, sorted', () => {
    expect(zonesOfNumber('+19075550100')).toEqual(['America/Adak', 'America/Anchorage']);
    expect(zonesOfNumber('+16055550100')).toEqual(['America/Denver', 'America/North_Dakota/Center']);
    expect(zonesOfNumber('+17755550100')).toEqual(['America/Boise', 'America/Los_Angeles']);
  });

  it('falls back to the country when no longer prefix matches (a US toll-free number: every US zone)', () => {
    const zones = zonesOfNumber('+18005550100');
    expect(zones).toEqual(expect.arrayContaining(['America/New_York', 'Pacific/Honolulu', 'Pacific/Guam']));
    expect(zones.length).toBeGreaterThan(20);
    expect([...zones].sort()).toEqual(zones);
  });

  it('gives India and Nepal their legacy zone names, which luxon accepts with their :30 and :45 offsets', () => {
    expect(zonesOfNumber('+919876543210')).toEqual(['Asia/Calcutta']);
    expect(zonesOfNumber('+9779812345678')).toEqual(['Asia/Katmandu']);
    const instant = Date.parse('2025-01-15T00:00:00Z');
    expect(DateTime.fromMillis(instant, { zone: 'Asia/Calcutta' }).offset).toBe(330);
    expect(DateTime.fromMillis(instant, { zone: 'Asia/Katmandu' }).offset).toBe(345);
  });

  it('gives no zone for a number whose country code is not assigned', () => {
    expect(zonesOfNumber('+2812345678')).toEqual([]);
  });

  it('refuses what is not an E.164 number', () => {
    expect(() => zonesOfNumber('2125550100')).toThrow(/E\.164/);
    expect(() => zonesOfNumber('+1 212 555 0100')).toThrow(/E\.164/);
  });

  it('returns the same array for numbers with the same zones, so callers can cache by it', () => {
    expect(zonesOfNumber('+12125550100')).toBe(zonesOfNumber('+17185550100'));
    expect(Object.isFrozen(zonesOfNumber('+12125550100'))).toBe(true);
  });

  it("agrees with libphonenumber-geo-carrier's own timezones() on numbers from many countries", async () => {
    const numbers = [
      '+12125550100',
      '+19075550100',
      '+16055550100',
      '+18005550100',
      '+12085550100',
      '+12083050100',
      '+919876543210',
      '+9779812345678',
      '+447700900123',
      '+442079460000',
      '+61412345678',
      '+61871234567',
      '+5511987654321',
      '+525512345678',
      '+74951234567',
      '+79161234567',
      '+8613812345678',
      '+81312345678',
      '+2348012345678',
      '+27821234567',
      '+34612345678',
      '+14165550100',
      '+15065550100',
      '+17095550100',
    ];
    for (const number of numbers) {
      const theirs = await timezones(parsePhoneNumberWithError(number));
      expect({ number, zones: zonesOfNumber(number) }).toEqual({ number, zones: [...(theirs ?? [])].sort() });
    }
  });
});

describe('indexZonesByPrefix', () => {
  it('drops zones this machine does not know, and leaves a prefix with none of them without zones', () => {
    const index = indexZonesByPrefix({ '99': 'Mars/Olympus&Asia/Tokyo', '98': 'Mars/Olympus', '97': 7 });
    expect(index.get('99')?.zones).toEqual(['Asia/Tokyo']);
    expect(index.get('98')?.zones).toEqual([]);
    expect(index.has('97')).toBe(false);
  });
});

describe('zoneSetKey', () => {
  it('is the same for the same zones in any order, with repeats', () => {
    expect(zoneSetKey(['America/New_York', 'America/Chicago', 'America/New_York'])).toBe(
      zoneSetKey(['America/Chicago', 'America/New_York']),
    );
    expect(zoneSetKey(['America/Chicago'])).not.toBe(zoneSetKey(['America/New_York']));
  });
});

describe('recipientZones', () => {
  it('uses the timezone column when it has a value, over the number', () => {
    expect(recipientZones('+12125550100', 'Asia/Kolkata')).toEqual({
      kind: 'zones',
      zones: ['Asia/Kolkata'],
      key: 'Asia/Kolkata',
      source: 'timezone-column',
    });
    expect(recipientZones('+2812345678', ' Europe/London ')).toMatchObject({
      kind: 'zones',
      zones: ['Europe/London'],
    });
  });

  it('uses the number when the column is absent or blank', () => {
    for (const column of [undefined, '', '   ']) {
      expect(recipientZones('+19075550100', column)).toEqual({
        kind: 'zones',
        zones: ['America/Adak', 'America/Anchorage'],
        key: 'America/Adak&America/Anchorage',
        source: 'number',
      });
    }
  });

  it('names a timezone value that is not a zone', () => {
    expect(recipientZones('+12125550100', 'Mars/Olympus')).toEqual({
      kind: 'invalid-zone',
      value: 'Mars/Olympus',
      message: expect.stringContaining('"Mars/Olympus" is not a time zone') as string,
    });
    expect(recipientZones('+12125550100', '+05:30')).toMatchObject({ kind: 'invalid-zone', value: '+05:30' });
  });

  it('says so when the number has no known zone', () => {
    expect(recipientZones('+2812345678')).toEqual({
      kind: 'no-zone',
      message: expect.stringContaining('time zone is unknown') as string,
    });
  });
});
