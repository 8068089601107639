import { Client, Connection } from '@temporalio/client';
import { checkScheduleOptions } from '../../src/campaigns';
import { cronProblems, cronTimeZone } from '../../src/campaigns/cron';
import { startDevServer } from '../support/dev-server';
import type { RunningDevServer } from '../support/dev-server';

/**
 * Our reading of Temporal's cron grammar against the server's own: every expression below gets the same verdict
 * from `cronProblems` as from a real dev server asked to create a schedule with it, so the check before
 * connecting neither refuses what Temporal takes nor lets through what it refuses.
 */

const accepted = [
  '0 10 * * MON-FRI',
  '0 10 * * mon-fri',
  '  30 9 * * 1-5  ',
  '*/15 9-17 * * *',
  '0 0 1 JAN,JUL *',
  '0 0 1 january *',
  '0 10 * * 7',
  '0 10 * * 1-7/2',
  '0 10 * * SU',
  '0 12 * * * 2027',
  '0 12 * * * 2000-2100',
  '30 0 12 * * * *',
  '5/10 * * * *',
  '0 +9 * * *',
  '@daily',
  '@hourly',
  '@weekly',
  '@annually',
  '@every 12h',
  '@every 1d/2h',
  '@every 1h30m',
  '@every 1.5h',
  '@every 1s',
  'TZ=Asia/Kolkata 0 10 * * *',
  'CRON_TZ=Europe/Berlin 0 10 * * *',
  '0 10 * * * # weekday reminders',
];

const refused = [
  '',
  'not a cron',
  '0 10 * *',
  '0 0 10 * * * * *',
  '60 10 * * *',
  '0 24 * * *',
  '0 10 0 * *',
  '0 10 32 * *',
  '0 10 * 13 *',
  '0 10 * * 8',
  '0 10 * * MON-FRY',
  '0 10 * * FRI-MON',
  '0 10 * * M',
  '0 10 * JA *',
  '0 10-8 * * *',
  '0 1-2-3 * * *',
  '*/0 * * * *',
  '*/ * * * *',
  '1/2/3 * * * *',
  '0 10,,12 * * *',
  '0 12 * * * 1999',
  '0 12 * * * 2101',
  '@every',
  '@every 0.5s',
  '@every 12x',
  '@every 1h/1h',
  '@every 1h/-5m',
  '@fortnightly',
  'TZ=Asia/Kolkata',
  'TZ=Mars/Olympus 0 10 * * *',
  `0 10 * * * # ${'x'.repeat(201)}`,
];

describe('cronProblems', () => {
  test.each(accepted)('takes %j', (expression) => {
    expect(cronProblems([expression])).toEqual([]);
  });

  test.each(refused)('refuses %j', (expression) => {
    expect(cronProblems([expression])).toEqual([
      { field: 'cron.0', value: expression, problem: expect.any(String) as string },
    ]);
  });

  test('names the field, the value and the range it must be in', () => {
    expect(cronProblems(['61 10 * * *'])[0]?.problem).toBe("minute '61' must be 0-59");
    expect(cronProblems(['0 10 * * MON-FRY'])[0]?.problem).toBe(
      "day of week 'MON-FRY' must end at 0-7 or a name such as MON, not before its start",
    );
    expect(cronProblems(['0 10 * *'])[0]?.problem).toMatch(/^has 4 field\(s\); a cron has 5 \(minute hour/);
  });

  test('refuses expressions read in different zones, and a TZ= that differs from the schedule zone', () => {
    expect(cronProblems(['TZ=Asia/Kolkata 0 10 * * *', '0 18 * * *'])).toEqual([
      {
        field: 'cron',
        value: expect.any(Array) as string[],
        problem: expect.stringContaining('same TZ=') as string,
      },
    ]);
    expect(cronProblems(['TZ=Asia/Kolkata 0 10 * * *'], 'UTC')[0]?.problem).toBe(
      "TZ=Asia/Kolkata conflicts with the schedule's time zone UTC; set only one",
    );
    expect(cronProblems(['TZ=Asia/Kolkata 0 10 * * *'], 'Asia/Kolkata')).toEqual([]);
  });

  test("cronTimeZone is the zone the expressions' TZ= names, if any", () => {
    expect(cronTimeZone(['CRON_TZ=Asia/Kolkata 0 10 * * *', 'CRON_TZ=Asia/Kolkata 0 18 * * *'])).toBe(
      'Asia/Kolkata',
    );
    expect(cronTimeZone(['0 10 * * *', '@daily'])).toBeUndefined();
  });

  test('wants at least one expression', () => {
    expect(cronProblems([])).toEqual([{ field: 'cron', value: [], problem: expect.any(String) as string }]);
  });
});

test('checkScheduleOptions lists every wrong option of a schedule at once', () => {
  expect(() =>
    checkScheduleOptions({
      cron: ['0 10 * * MON-FRI', '0 25 * * *'],
      timezone: 'Mars/Olympus',
      catchupWindow: '5s',
    }),
  ).toThrow(
    /^Invalid schedule:\n {2}cron\.1: hour '25' must be 0-23\n {2}timezone: must be an IANA time zone[^\n]*\n {2}catchupWindow: 5 seconds is shorter/,
  );
});

describe('on a real Temporal server', () => {
  let server: RunningDevServer;
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    server = await startDevServer({ port: 0 });
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });
  }, 120_000);

  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  /** Whether the server creates a (paused, never running) schedule with this one cron expression. */
  async function serverTakes(expression: string, index: number): Promise<boolean> {
    try {
      const handle = await client.schedule.create({
        scheduleId: `cron-verdict-${index}`,
        spec: { cronExpressions: [expression] },
        action: { type: 'startWorkflow', workflowType: 'never-runs', taskQueue: 'cron-verdicts', args: [] },
        state: { paused: true },
      });
      await handle.delete();
      return true;
    } catch (error) {
      // The SDK turns the server's "Invalid schedule spec" into a TypeError; anything else (the server away, say)
      // is not a verdict.
      if (error instanceof TypeError) return false;
      throw error;
    }
  }

  test('gives every expression above the same verdict as cronProblems', async () => {
    const cases = [...accepted, ...refused];
    const verdicts = await Promise.all(cases.map((expression, index) => serverTakes(expression, index)));
    const disagreements = cases.filter(
      (expression, index) => verdicts[index] !== (cronProblems([expression]).length === 0),
    );
    expect(disagreements).toEqual([]);
    // Both lists mean something: the server takes every one of the first and none of the second.
    expect(verdicts.filter(Boolean)).toHaveLength(accepted.length);
  }, 60_000);
});
