import { decideSchedule, parseScheduledAt, roundUpToMark } from '../../simulator/schedule-rules';
import { fieldsOf, like, minute, startApi, t0 } from './helpers';
import type { SimulatorApi } from './helpers';

/** Bolna's schedule rules: numeric offset only (Z is a 500), 2 minutes of lead, start rounded up to 10 minutes. */

const bolnaRules = { minLeadMs: 2 * minute, roundingMs: 10 * minute };

describe('the rules themselves', () => {
  test('timestamps need the extended ISO form with a numeric offset', () => {
    expect(parseScheduledAt('2026-06-23T12:05:00+00:00')).toBe(Date.parse('2026-06-23T12:05:00Z'));
    expect(parseScheduledAt('2026-06-23T17:35:00+05:30')).toBe(Date.parse('2026-06-23T12:05:00Z'));
    expect(parseScheduledAt('2026-06-23T07:05:00-05:00')).toBe(Date.parse('2026-06-23T12:05:00Z'));
    expect(parseScheduledAt('2026-06-23T12:05+00:00')).toBe(Date.parse('2026-06-23T12:05:00Z'));
    expect(parseScheduledAt('2026-06-23T12:05:00.570123+00:00')).toBe(Date.parse('2026-06-23T12:05:00.570Z'));
    for (const invalid of [
      '2026-06-23T12:05:00',
      '2026-06-23 12:05:00+00:00',
      '2026-06-23T12:05:00+0000',
      '2026-06-23T12:05:00+00',
      '2026-02-30T12:05:00+00:00',
      '2026-06-23T24:00:00+00:00',
      '2026-06-23T12:05:60+00:00',
      '2026-06-23T12:05:00+24:00',
      ' 2026-06-23T12:05:00+00:00',
      '1750680300',
      'tomorrow',
    ]) {
      expect([invalid, parseScheduledAt(invalid)]).toEqual([invalid, undefined]);
    }
  });

  test('starts round up to the next mark since the epoch; an exact mark stays', () => {
    const at = (time: string) => Date.parse(`2026-06-23T${time}Z`);
    expect(roundUpToMark(at('12:02:00'), 10 * minute)).toBe(at('12:10:00'));
    expect(roundUpToMark(at('12:10:00'), 10 * minute)).toBe(at('12:10:00'));
    expect(roundUpToMark(at('12:10:00.001'), 10 * minute)).toBe(at('12:20:00'));
    expect(roundUpToMark(at('12:00:07'), 30_000)).toBe(at('12:00:30'));
  });

  test('the lead is measured from the requested time, before rounding, and exactly the lead is enough', () => {
    expect(decideSchedule('2026-06-23T12:02:00+00:00', t0, bolnaRules)).toEqual({
      ok: true,
      requestedMs: t0 + 2 * minute,
      startsAtMs: t0 + 10 * minute,
    });
    expect(decideSchedule('2026-06-23T12:01:59.999+00:00', t0, bolnaRules)).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(decideSchedule(undefined, t0, bolnaRules)).toMatchObject({ ok: false, status: 400 });
    expect(decideSchedule('2026-06-23T12:05:00z', t0, bolnaRules)).toMatchObject({ ok: false, status: 500 });
    expect(decideSchedule('2026-06-23T12:00:00+00:00', t0, { minLeadMs: 0, roundingMs: 1 })).toMatchObject({
      ok: true,
      startsAtMs: t0,
    });
  });
});

describe('POST /batches/{id}/schedule', () => {
  let api: SimulatorApi;
  beforeEach(async () => {
    api = await startApi();
  });
  afterEach(() => api.simulator.close());

  test('a timestamp ending in Z earns a plain 500, as on real Bolna, and changes nothing', async () => {
    const batchId = await api.createBatch();
    for (const zulu of ['2026-06-23T12:05:00Z', '2026-06-23T12:05:00.000z']) {
      const response = await api.schedule(batchId, zulu);
      expect(response.status).toBe(500);
      expect(response.text).toBe('Internal Server Error');
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    }
    expect(await api.batch(batchId)).toMatchObject({ status: 'created', scheduled_at: null });
  });

  test('a start 60 s ahead is a 400 with an {error, message} body', async () => {
    const batchId = await api.createBatch();
    const response = await api.schedule(batchId, '2026-06-23T12:01:00+00:00');
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: 400, message: like.stringMatching(/2 minutes/) });
    expect((await api.batch(batchId)).status).toBe('created');
  });

  test('a start 3 minutes ahead is accepted and runs at the next 10-minute mark, reported with +00:00', async () => {
    const batchId = await api.createBatch();
    const response = await api.schedule(batchId, '2026-06-23T17:33:00+05:30');
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ message: 'success', state: 'scheduled' });
    expect(await api.batch(batchId)).toMatchObject({
      status: 'scheduled',
      scheduled_at: '2026-06-23T12:10:00+00:00',
    });
  });

  test('an exact mark stays; a later request reschedules; zoneless, spaced and garbage times are 400', async () => {
    const batchId = await api.createBatch();
    expect((await api.schedule(batchId, '2026-06-23T12:20:00+00:00')).status).toBe(200);
    expect((await api.batch(batchId)).scheduled_at).toBe('2026-06-23T12:20:00+00:00');
    expect((await api.schedule(batchId, '2026-06-23T12:31:00+00:00')).status).toBe(200);
    expect((await api.batch(batchId)).scheduled_at).toBe('2026-06-23T12:40:00+00:00');
    for (const invalid of ['2026-06-23T12:30:00', '2026-06-23 12:30:00+00:00', 'tomorrow', '']) {
      const response = await api.schedule(batchId, invalid);
      expect([invalid, response.status]).toEqual([invalid, 400]);
      expect(fieldsOf(response)).toHaveProperty('message');
    }
    expect((await api.batch(batchId)).scheduled_at).toBe('2026-06-23T12:40:00+00:00');
  });

  test('scheduled_at missing, sent twice, or bypass_call_guardrails not a boolean are 400s', async () => {
    const batchId = await api.createBatch();
    const missing = new FormData();
    missing.append('bypass_call_guardrails', 'true');
    expect((await api.call('POST', `/batches/${batchId}/schedule`, { body: missing })).status).toBe(400);
    const twice = new FormData();
    twice.append('scheduled_at', '2026-06-23T12:05:00+00:00');
    twice.append('scheduled_at', '2026-06-23T12:15:00+00:00');
    expect((await api.call('POST', `/batches/${batchId}/schedule`, { body: twice })).status).toBe(400);
    const notBoolean = await api.schedule(batchId, '2026-06-23T12:05:00+00:00', {
      bypass_call_guardrails: 'yes',
    });
    expect(notBoolean.status).toBe(400);
    const bypass = await api.schedule(batchId, '2026-06-23T12:05:00+00:00', {
      bypass_call_guardrails: 'true',
    });
    expect(bypass.status).toBe(200);
    expect((await api.batch(batchId)).bypass_call_guardrails).toBe(true);
  });

  test('the body must be multipart/form-data', async () => {
    const batchId = await api.createBatch();
    const json = await api.call('POST', `/batches/${batchId}/schedule`, {
      body: JSON.stringify({ scheduled_at: '2026-06-23T12:05:00+00:00' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(json.status).toBe(400);
    const urlencoded = await api.call('POST', `/batches/${batchId}/schedule`, {
      body: 'scheduled_at=2026-06-23T12%3A05%3A00%2B00%3A00',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(urlencoded.status).toBe(400);
    expect((await api.batch(batchId)).status).toBe('created');
  });

  test('an unknown batch is 404; a running, completed or stopped one cannot be rescheduled', async () => {
    expect((await api.schedule('f'.repeat(32), '2026-06-23T12:05:00+00:00')).status).toBe(404);
    const running = await api.createBatch();
    const stopped = await api.createBatch();
    await api.schedule(running, '2026-06-23T12:05:00+00:00');
    await api.schedule(stopped, '2026-06-23T12:05:00+00:00');
    await api.call('POST', `/batches/${stopped}/stop`);
    api.clock.set(t0 + 11 * minute);
    expect((await api.batch(running)).status).toBe('running');
    const refused = await api.schedule(running, '2026-06-23T12:30:00+00:00');
    expect(refused.status).toBe(400);
    expect(fieldsOf(refused).message).toMatch(/running/);
    expect((await api.schedule(stopped, '2026-06-23T12:30:00+00:00')).status).toBe(400);
    api.clock.set(t0 + 120 * minute);
    expect((await api.batch(running)).status).toBe('completed');
    expect((await api.schedule(running, '2026-06-23T14:30:00+00:00')).status).toBe(400);
  });

  test('shrunk rules (for demos and fast end-to-end runs) apply, and can change mid-run', async () => {
    api.simulator.settings.rules.minLeadMs = 5_000;
    api.simulator.settings.rules.roundingMs = 30_000;
    const batchId = await api.createBatch();
    expect((await api.schedule(batchId, '2026-06-23T12:00:04+00:00')).status).toBe(400);
    expect((await api.schedule(batchId, '2026-06-23T12:00:05+00:00')).status).toBe(200);
    expect((await api.batch(batchId)).scheduled_at).toBe('2026-06-23T12:00:30+00:00');
  });
});
