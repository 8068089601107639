import { carriesRunDate, csvForRun } from '../../src/outreach/csv-for-run';

/** A scheduled run's CSV: `{date}` becomes the day the run was scheduled for, in the schedule's zone. */

test('the date is the day in the schedule zone, not in UTC', () => {
  // 19:00 UTC on December 1 is 00:30 on December 2 in Kolkata, and still 14:00 on December 1 in New York.
  const scheduled = Date.parse('2026-12-01T19:00:00Z');
  expect(csvForRun('leads/{date}.csv', scheduled, 'Asia/Kolkata')).toBe('leads/2026-12-02.csv');
  expect(csvForRun('leads/{date}.csv', scheduled, 'America/New_York')).toBe('leads/2026-12-01.csv');
  expect(csvForRun('leads/{date}.csv', scheduled)).toBe('leads/2026-12-01.csv');
});

test('every {date} in a path or URL is replaced; a template without one is kept as it is', () => {
  const scheduled = Date.parse('2027-01-05T04:30:00Z');
  expect(csvForRun('https://crm.example.com/{date}/leads-{date}.csv?k=1', scheduled, 'Asia/Kolkata')).toBe(
    'https://crm.example.com/2027-01-05/leads-2027-01-05.csv?k=1',
  );
  expect(csvForRun('/lists/leads.csv', scheduled, 'Asia/Kolkata')).toBe('/lists/leads.csv');
  expect(carriesRunDate('leads/{date}.csv')).toBe(true);
  expect(carriesRunDate('leads/{day}.csv')).toBe(false);
});

test('a zone with a half-hour offset on the last day of the year', () => {
  expect(csvForRun('{date}.csv', Date.parse('2026-12-31T18:29:59Z'), 'Asia/Kolkata')).toBe('2026-12-31.csv');
  expect(csvForRun('{date}.csv', Date.parse('2026-12-31T18:30:00Z'), 'Asia/Kolkata')).toBe('2027-01-01.csv');
});
