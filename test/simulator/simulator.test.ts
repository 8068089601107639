import { ManualClock, scaledClock } from '../../src/simulator/clock';
import { startSimulator } from '../../src/simulator/server';
import type { RunningSimulator, SimulatorOptions } from '../../src/simulator/server';

/**
 * The simulator's own rules, spoken to with raw HTTP (no client in between), so that it is as strict as Bolna's
 * docs: whatever it accepts, our client may send to real Bolna.
 */

const key = 'bn-simulator-test-key';
const agentId = '9b8a7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const minute = 60_000;
const t0 = Date.parse('2026-06-23T12:00:00Z');

let simulator: RunningSimulator;
let clock: ManualClock;

async function start(options: SimulatorOptions = {}): Promise<void> {
  clock = new ManualClock(t0);
  simulator = await startSimulator({
    apiKey: key,
    clock,
    calls: { concurrency: 2, ringMs: 10_000, talkMs: 60_000, postProcessingMs: 150_000 },
    ...options,
  });
}

afterEach(async () => simulator?.close());

async function call(method: string, path: string, body?: FormData, auth = `Bearer ${key}`) {
  const response = await fetch(simulator.url + path, {
    method,
    body: body ?? null,
    headers: { authorization: auth },
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json: json as Record<string, unknown>, text, headers: response.headers };
}

function csvForm(csv: string, fields: Record<string, string> = { agent_id: agentId }): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'contacts.csv');
  return form;
}

async function createBatch(
  rows = 'contact_number,name\n+919876543210,Asha\n+919812345678,Ravi\n+14155550123,Maria\n',
) {
  const created = await call('POST', '/batches', csvForm(rows));
  expect(created.status).toBe(201);
  return created.json.batch_id as string;
}

function schedule(batchId: string, scheduledAt: string) {
  const form = new FormData();
  form.append('scheduled_at', scheduledAt);
  return call('POST', `/batches/${batchId}/schedule`, form);
}

describe('schedule rules', () => {
  beforeEach(() => start());

  test('a timestamp ending in Z earns a 500, as on real Bolna', async () => {
    const batchId = await createBatch();
    const response = await schedule(batchId, '2026-06-23T12:05:00Z');
    expect(response.status).toBe(500);
    expect((await call('GET', `/batches/${batchId}`)).json.status).toBe('created');
  });

  test('a start 60 s ahead is a 400 with Bolna’s {error, message} body', async () => {
    const batchId = await createBatch();
    const response = await schedule(batchId, '2026-06-23T12:01:00+00:00');
    expect(response.status).toBe(400);
    expect(typeof response.json.error).toBe('string');
    expect(response.json.message).toMatch(/2 minutes/);
  });

  test('a start 3 minutes ahead is accepted and starts on the next 10-minute mark', async () => {
    const batchId = await createBatch();
    const response = await schedule(batchId, '2026-06-23T17:33:00+05:30');
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ message: 'success', state: 'scheduled' });
    const batch = (await call('GET', `/batches/${batchId}`)).json;
    expect(batch.status).toBe('scheduled');
    expect(batch.scheduled_at).toBe('2026-06-23T12:10:00.000+00:00');
  });

  test('an exact mark stays; zoneless or garbage times are 400', async () => {
    const batchId = await createBatch();
    expect((await schedule(batchId, '2026-06-23T12:20:00+00:00')).status).toBe(200);
    expect((await call('GET', `/batches/${batchId}`)).json.scheduled_at).toBe(
      '2026-06-23T12:20:00.000+00:00',
    );
    expect((await schedule(batchId, '2026-06-23T12:30:00')).status).toBe(400);
    expect((await schedule(batchId, 'tomorrow')).status).toBe(400);
  });

  test('an unknown batch is 404; a running one cannot be rescheduled', async () => {
    expect((await schedule('f'.repeat(32), '2026-06-23T12:05:00+00:00')).status).toBe(404);
    const batchId = await createBatch();
    await schedule(batchId, '2026-06-23T12:05:00+00:00');
    clock.set(t0 + 11 * minute);
    expect((await schedule(batchId, '2026-06-23T12:30:00+00:00')).status).toBe(400);
  });
});

describe('create', () => {
  beforeEach(() => start());

  test('needs a uuid agent, a file and a contact_number column', async () => {
    expect(
      (await call('POST', '/batches', csvForm('contact_number\n+919876543210\n', { agent_id: 'agent-1' })))
        .status,
    ).toBe(400);
    const noFile = new FormData();
    noFile.append('agent_id', agentId);
    expect((await call('POST', '/batches', noFile)).status).toBe(400);
    const noColumn = await call('POST', '/batches', csvForm('phone\n+919876543210\n'));
    expect(noColumn.status).toBe(400);
    expect(noColumn.json.message).toMatch(/contact_number/);
    expect(
      (
        await call(
          'POST',
          '/batches',
          csvForm('contact_number\n+919876543210\n', { agent_id: agentId, retry_config: '{oops' }),
        )
      ).status,
    ).toBe(400);
  });

  test('counts valid and total contacts and keeps the file name', async () => {
    const batchId = await createBatch('contact_number,name\n+919876543210,A\n98765,B\n');
    const batch = (await call('GET', `/batches/${batchId}`)).json;
    expect(batch).toMatchObject({
      total_contacts: 2,
      valid_contacts: 1,
      file_name: 'contacts.csv',
      status: 'created',
    });
    const all = (await call('GET', `/batches/${agentId}/all`)).json as unknown as { batch_id: string }[];
    expect(all.map((b) => b.batch_id)).toEqual([batchId]);
  });
});

test('a batch lives created → scheduled → running → completed on the simulator clock, echoing each row', async () => {
  await start();
  const batchId = await createBatch();
  expect((await call('GET', `/batches/${batchId}/executions`)).json).toHaveLength(3);
  await schedule(batchId, '2026-06-23T12:05:00+00:00');
  clock.set(t0 + 9 * minute);
  expect((await call('GET', `/batches/${batchId}`)).json.status).toBe('scheduled');
  clock.set(t0 + 10 * minute + 5_000);
  const running = (await call('GET', `/batches/${batchId}`)).json;
  expect(running.status).toBe('running');
  expect(running.execution_status).toMatchObject({ queued: 1 });
  clock.set(t0 + 60 * minute);
  expect((await call('GET', `/batches/${batchId}`)).json.status).toBe('completed');
  const executions = (await call('GET', `/batches/${batchId}/executions`)).json as unknown as {
    status: string;
    context_details: { recipient_data: { name: string } };
  }[];
  expect(executions.map((e) => e.context_details.recipient_data.name)).toEqual(['Asha', 'Ravi', 'Maria']);
  for (const execution of executions)
    expect(['completed', 'no-answer', 'busy', 'failed']).toContain(execution.status);
});

test('stop: partial results are kept, unfinished calls end stopped, and a second stop is the documented 404', async () => {
  await start({
    calls: {
      concurrency: 1,
      ringMs: 10_000,
      talkMs: 60_000,
      postProcessingMs: 0,
      outcomes: { completed: 1 },
    },
  });
  const batchId = await createBatch();
  expect((await call('POST', `/batches/${batchId}/stop`)).status).toBe(404);
  await schedule(batchId, '2026-06-23T12:05:00+00:00');
  clock.set(t0 + 10 * minute + 100_000);
  expect((await call('POST', `/batches/${batchId}/stop`)).json).toEqual({
    message: 'success',
    state: 'stopped',
  });
  clock.set(t0 + 60 * minute);
  const batch = (await call('GET', `/batches/${batchId}`)).json;
  expect(batch.status).toBe('stopped');
  expect(batch.execution_status).toEqual({ completed: 1, stopped: 2 });
  const again = await call('POST', `/batches/${batchId}/stop`);
  expect(again.status).toBe(404);
  expect(again.json).toEqual({ message: 'Batch is not queued or running' });
});

test('delete makes the batch 404 everywhere', async () => {
  await start();
  const batchId = await createBatch();
  expect((await call('DELETE', `/batches/${batchId}`)).json).toEqual({
    message: 'success',
    state: 'deleted',
  });
  expect((await call('GET', `/batches/${batchId}`)).status).toBe(404);
  expect((await call('GET', `/batches/${batchId}/executions`)).status).toBe(404);
});

test('a wrong or missing key is 403 with a {detail} body, and no key reaches the request log', async () => {
  await start();
  const wrong = await call('GET', '/user/me', undefined, 'Bearer bn-not-the-key');
  expect(wrong.status).toBe(403);
  expect(wrong.json).toHaveProperty('detail');
  expect((await call('GET', '/user/me', undefined, '')).status).toBe(403);
  expect(JSON.stringify(simulator.requests)).not.toContain('bn-not-the-key');
  expect(JSON.stringify(simulator.requests)).not.toContain(key);
});

test('any non-empty key is accepted when no key is configured', async () => {
  simulator = await startSimulator();
  expect((await call('GET', '/user/me', undefined, 'Bearer anything')).status).toBe(200);
});

test('the rate limit answers 429 with Retry-After in seconds', async () => {
  await start({ rateLimit: { requestsPerMinute: 2 } });
  expect((await call('GET', '/user/me')).status).toBe(200);
  expect((await call('GET', '/user/me')).status).toBe(200);
  const limited = await call('GET', '/user/me');
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  clock.advance(minute);
  expect((await call('GET', '/user/me')).status).toBe(200);
});

test('variants: 200 on create, state instead of status, the {data} envelope, scheduled-at-time state', async () => {
  await start({
    variants: {
      createStatus: 200,
      statusField: 'state',
      executionsEnvelope: 'data',
      scheduleStateForm: 'with-time',
      scheduleStatus: 202,
    },
  });
  const created = await call('POST', '/batches', csvForm('contact_number\n+919876543210\n'));
  expect(created.status).toBe(200);
  const batchId = created.json.batch_id as string;
  const scheduled = await schedule(batchId, '2026-06-23T12:05:00+00:00');
  expect(scheduled.status).toBe(202);
  expect(scheduled.json.state).toBe('scheduled at 2026-06-23T12:10:00.000+00:00');
  const batch = (await call('GET', `/batches/${batchId}`)).json;
  expect(batch.state).toBe('scheduled');
  expect(batch).not.toHaveProperty('status');
  expect((await call('GET', `/batches/${batchId}/executions`)).json).toMatchObject({
    has_more: false,
    data: [expect.any(Object)],
  });
});

test('scripted faults: server error, drop, and a lost response that still commits the batch', async () => {
  await start();
  simulator.injectFault({ path: '/user/me', kind: 'server-error', status: 502 });
  expect((await call('GET', '/user/me')).status).toBe(502);
  expect((await call('GET', '/user/me')).status).toBe(200);

  simulator.injectFault({ path: '/user/me', kind: 'drop' });
  await expect(call('GET', '/user/me')).rejects.toThrow();

  simulator.injectFault({ method: 'POST', path: '/batches', kind: 'lost-response' });
  await expect(call('POST', '/batches', csvForm('contact_number\n+919876543210\n'))).rejects.toThrow();
  expect(simulator.batches.size).toBe(1);
  expect(simulator.requests.map((r) => r.status)).toEqual([502, 200, 'dropped', 'lost']);
});

test('paginated executions refuse pages over 50', async () => {
  await start();
  const batchId = await createBatch();
  expect((await call('GET', `/v2/agent/${agentId}/executions?batch_id=${batchId}&page_size=51`)).status).toBe(
    400,
  );
  const page = (
    await call('GET', `/v2/agent/${agentId}/executions?batch_id=${batchId}&page_size=2&page_number=2`)
  ).json;
  expect(page).toMatchObject({ page_number: 2, page_size: 2, total: 3, has_more: false });
  expect(page.data).toHaveLength(1);
});

test('unknown routes are 404 and wrong methods 405', async () => {
  await start();
  expect((await call('GET', '/nope')).status).toBe(404);
  expect((await call('PUT', '/user/me')).status).toBe(405);
});

test('random faults follow the seed: a 100% drop rate drops every request', async () => {
  await start({ faults: { dropRate: 1 } });
  await expect(call('GET', '/user/me')).rejects.toThrow();
  simulator.settings.faults.dropRate = 0;
  expect((await call('GET', '/user/me')).status).toBe(200);
});

test('a scaled clock runs faster than real time, for soak runs of long batches', () => {
  const before = Date.now();
  const clock = scaledClock(1000, 0);
  while (Date.now() - before < 5); // let 5 real milliseconds pass
  const simulated = clock.now() as number;
  expect(simulated).toBeGreaterThanOrEqual(4_000);
  expect(simulated).toBeLessThanOrEqual((Date.now() - before + 1) * 1000);
  expect(() => new ManualClock(5).set(4)).toThrow(RangeError);
  expect(() => scaledClock(0)).toThrow(RangeError);
});
