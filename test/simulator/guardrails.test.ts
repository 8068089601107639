import { startSimulator } from '../../simulator/server';
import { iso, like, minute, startApi, t0, threeContacts } from './helpers';
import type { SimulatorApi } from './helpers';

/**
 * The agent's calling guardrails (`guardrails`, in the recipient's local time) and Bolna's `rescheduled` status:
 * a call due outside the hours is not placed, shows `rescheduled`, and is placed when they next open. The batch
 * starts at 12:10 UTC: 17:40 in India, 05:10 in San Francisco. Durations as in lifecycle.test.ts: answered calls
 * hang up 72 s after they are placed and complete 150 s later.
 */

const start = t0 + 10 * minute;
const second = 1_000;
const hour = 60 * minute;
/** 09:00 in San Francisco (UTC-7 in June). */
const sanFranciscoNine = Date.parse('2026-06-23T16:00:00+00:00');

let api: SimulatorApi;
afterEach(() => api.simulator.close());

async function statusesAt(batchId: string, atMs: number): Promise<string[]> {
  api.clock.set(atMs);
  return (await api.executions(batchId)).map((execution) => execution.status);
}

async function scheduledBatch(csv = threeContacts, extra: Record<string, string> = {}): Promise<string> {
  const batchId = await api.createBatch(csv);
  expect((await api.schedule(batchId, '2026-06-23T12:05:00+00:00', extra)).status).toBe(200);
  return batchId;
}

test('a call due outside the hours is rescheduled, counted as such, and placed when they open', async () => {
  api = await startApi({
    calls: { outcomes: { completed: 1 } },
    guardrails: { start: '09:00', end: '21:00' },
  });
  const batchId = await scheduledBatch();

  // Its turn comes at +72 s, when a line hangs up: before that it waits in the queue like any call.
  expect(await statusesAt(batchId, start + 71 * second)).toEqual(['in-progress', 'in-progress', 'queued']);
  expect(await statusesAt(batchId, start + 2 * minute)).toEqual([
    'call-disconnected',
    'call-disconnected',
    'rescheduled',
  ]);
  expect(await api.batch(batchId)).toMatchObject({
    status: 'running',
    execution_status: { 'call-disconnected': 2, rescheduled: 1 },
    bypass_call_guardrails: false,
  });
  const [, , waiting] = await api.executions(batchId);
  expect(waiting).toMatchObject({ telephony_data: null, batch_run_details: { status: 'rescheduled' } });

  expect(await statusesAt(batchId, sanFranciscoNine - 1)).toEqual(['completed', 'completed', 'rescheduled']);
  expect((await api.simulator.placedCalls()).map((call) => call.toNumber)).toEqual([
    '+919876543210',
    '+919812345678',
  ]);
  expect(await statusesAt(batchId, sanFranciscoNine)).toEqual(['completed', 'completed', 'initiated']);
  const placed = await api.simulator.placedCalls();
  expect(placed[2]).toMatchObject({ toNumber: '+14155550123', placedAtMs: sanFranciscoNine, attempt: 0 });

  expect(await statusesAt(batchId, sanFranciscoNine + 222 * second - 1)).toEqual([
    'completed',
    'completed',
    'call-disconnected',
  ]);
  expect((await api.batch(batchId)).status).toBe('running');
  api.clock.set(sanFranciscoNine + 222 * second);
  expect(await api.batch(batchId)).toMatchObject({ status: 'completed', execution_status: { completed: 3 } });
});

test('calls held back until the opening then share the lines and spacing like any others', async () => {
  api = await startApi({
    calls: { outcomes: { completed: 1 } },
    guardrails: { start: '09:00', end: '21:00' },
  });
  await scheduledBatch('contact_number\n+14155550123\n+14155550124\n+14155550125\n');
  api.clock.set(sanFranciscoNine + hour);
  expect((await api.simulator.placedCalls()).map((call) => call.placedAtMs)).toEqual([
    sanFranciscoNine,
    sanFranciscoNine + second,
    sanFranciscoNine + 72 * second,
  ]);
});

test('bypass_call_guardrails=true places every call at once', async () => {
  api = await startApi({
    calls: { outcomes: { completed: 1 } },
    guardrails: { start: '09:00', end: '21:00' },
  });
  const batchId = await scheduledBatch(threeContacts, { bypass_call_guardrails: 'true' });
  // A bypassed batch needs no time zones: a number none is known for is called like any other.
  const unknownZone = await scheduledBatch('contact_number\n+999123456789\n', {
    bypass_call_guardrails: 'true',
  });
  expect(await statusesAt(batchId, start + 72 * second)).toEqual([
    'call-disconnected',
    'in-progress',
    'initiated',
  ]);
  expect((await api.batch(batchId)).bypass_call_guardrails).toBe(true);
  expect((await api.simulator.placedCalls()).map((call) => [call.batchId, call.placedAtMs])).toEqual([
    [batchId, start],
    [unknownZone, start],
    [batchId, start + second],
    [batchId, start + 72 * second],
  ]);
});

test('a stop ends a rescheduled call stopped, never placed', async () => {
  api = await startApi({
    calls: { outcomes: { completed: 1 } },
    guardrails: { start: '09:00', end: '21:00' },
  });
  const batchId = await scheduledBatch();
  api.clock.set(start + 5 * minute);
  expect((await api.call('POST', `/batches/${batchId}/stop`)).status).toBe(200);
  expect(await statusesAt(batchId, t0 + 24 * hour)).toEqual(['completed', 'completed', 'stopped']);
  expect(await api.simulator.placedCalls()).toHaveLength(2);
});

test('one of Bolna’s retries due after closing time waits, rescheduled, until the next morning', async () => {
  api = await startApi({
    calls: { outcomes: { 'no-answer': 1 }, retryOutcomes: { completed: 1 } },
    guardrails: { start: '09:00', end: '18:00' },
  });
  const retryConfig = JSON.stringify({ enabled: true, max_retries: 1, retry_intervals_minutes: [30] });
  const batchId = await api.createBatch('contact_number\n+919876543210\n', { retry_config: retryConfig });
  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  // Placed at 17:40 India time, no answer at +12 s; the retry falls due at 18:10:12, after closing.
  const dueAtMs = start + 12 * second + 30 * minute;
  const nextMorning = Date.parse('2026-06-24T09:00:00+05:30');

  api.clock.set(dueAtMs - 1);
  expect((await api.executions(batchId))[0]).toMatchObject({
    status: 'scheduled',
    scheduled_at: iso(dueAtMs),
  });
  api.clock.set(dueAtMs);
  expect((await api.executions(batchId))[0]).toMatchObject({
    status: 'rescheduled',
    retry_count: 1,
    scheduled_at: iso(nextMorning),
  });
  expect(await statusesAt(batchId, nextMorning - 1)).toEqual(['rescheduled']);
  expect(await statusesAt(batchId, nextMorning)).toEqual(['initiated']);
  const placed = await api.simulator.placedCalls();
  expect(placed.map((call) => [call.attempt, call.placedAtMs])).toEqual([
    [0, start],
    [1, nextMorning],
  ]);
  expect(await statusesAt(batchId, nextMorning + hour)).toEqual(['completed']);
});

test('the hours follow the zone’s daylight-saving time: 09:00 in New York is 13:00 UTC after the spring change', async () => {
  api = await startApi({
    calls: { outcomes: { completed: 1 } },
    guardrails: { start: '09:00', end: '21:00' },
  });
  // Sunday 14 March 2027, 00:00 EST; clocks go forward at 02:00.
  api.clock.set(Date.parse('2027-03-14T05:00:00+00:00'));
  const batchId = await api.createBatch('contact_number\n+12125550100\n');
  expect((await api.schedule(batchId, '2027-03-14T05:05:00+00:00')).status).toBe(200);
  const opening = Date.parse('2027-03-14T13:00:00+00:00');
  expect(await statusesAt(batchId, opening - 1)).toEqual(['rescheduled']);
  expect(await statusesAt(batchId, opening)).toEqual(['initiated']);
});

test('the hours may run over midnight, and a row’s timezone column decides its local time', async () => {
  // Evening and night: 20:00 to 06:00.
  api = await startApi({
    calls: { outcomes: { completed: 1 } },
    guardrails: { start: '20:00', end: '06:00' },
  });
  const batchId = await scheduledBatch(
    'contact_number,timezone\n+14155550123,\n+14155550124,Asia/Tokyo\n+14155550125,Europe/Berlin\n',
  );
  // 05:10 in San Francisco and 21:10 in Tokyo are inside; 14:10 in Berlin opens at 20:00 (18:00 UTC).
  expect(await statusesAt(batchId, start + 2 * minute)).toEqual([
    'call-disconnected',
    'call-disconnected',
    'rescheduled',
  ]);
  const berlinEight = Date.parse('2026-06-23T18:00:00+00:00');
  expect(await statusesAt(batchId, berlinEight)).toEqual(['completed', 'completed', 'initiated']);
});

test('a recipient whose zones never share the hours, or who has none, is a clear simulator error', async () => {
  api = await startApi({ guardrails: { start: '09:00', end: '17:00' } });
  // A +1 toll-free number spans Samoa (UTC-11) to Guam (UTC+10): no moment is between 09:00 and 17:00 in all.
  for (const number of ['+18005550100', '+999123456789']) {
    const batchId = await api.createBatch(`contact_number\n${number}\n`);
    expect((await api.schedule(batchId, '2026-06-23T12:05:00+00:00')).status).toBe(500);
    expect(api.simulator.requests.at(-1)?.message).toEqual(
      like.stringMatching(new RegExp(`\\${number}.*recipientTimeZones setting or a timezone column`)),
    );
    expect((await api.batch(batchId)).status).toBe('created');
  }
  expect(await api.simulator.placedCalls()).toEqual([]);

  // Given one zone, the toll-free number is called when the hours open there (09:00 in Chicago: 14:00 UTC).
  api.simulator.settings.recipientTimeZones['+1800'] = 'America/Chicago';
  const batchId = await scheduledBatch('contact_number\n+18005550100\n');
  api.clock.set(Date.parse('2026-06-23T14:00:00+00:00'));
  expect((await api.simulator.placedCalls()).map((call) => [call.batchId, call.placedAtMs])).toEqual([
    [batchId, Date.parse('2026-06-23T14:00:00+00:00')],
  ]);
});

test('guardrails must be two different HH:MM times', async () => {
  await expect(startSimulator({ guardrails: { start: '9:00', end: '21:00' } })).rejects.toThrow(
    /HH:MM[\s\S]*guardrails/,
  );
  await expect(startSimulator({ guardrails: { start: '09:00', end: '09:00' } })).rejects.toThrow(
    /start and end must differ/,
  );
});
