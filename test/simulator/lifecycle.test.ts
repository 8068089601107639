import { fieldsOf, iso, like, minute, startApi, t0, threeContacts } from './helpers';
import type { Execution, SimulatorApi } from './helpers';

/**
 * A batch's life on the simulator's clock, computed lazily at each request: created → scheduled → running →
 * completed, with each call going prepared → queued → initiated → ringing → in-progress → call-disconnected →
 * completed. Durations are fixed here (dial 2 s, ring 10 s, talk 60 s, post-processing 150 s, 2 lines, 1 s
 * between placements), so every instant below is known exactly.
 */

const start = t0 + 10 * minute;
const second = 1_000;

let api: SimulatorApi;
afterEach(() => api.simulator.close());

async function statusesAt(batchId: string, atMs: number): Promise<string[]> {
  api.clock.set(atMs);
  return (await api.executions(batchId)).map((execution) => execution.status);
}

test('a batch walks created → scheduled → running → completed, call by call', async () => {
  api = await startApi({ calls: { outcomes: { completed: 1 } } });
  const batchId = await api.createBatch();
  expect(await statusesAt(batchId, t0)).toEqual(['prepared', 'prepared', 'prepared']);
  expect((await api.batch(batchId)).status).toBe('created');

  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  api.clock.set(start - 1);
  expect(await api.batch(batchId)).toMatchObject({ status: 'scheduled', execution_status: { prepared: 3 } });

  // Two lines: calls 1 and 2 are placed at once (1 s apart), call 3 when line 1 hangs up at +72 s.
  expect(await statusesAt(batchId, start)).toEqual(['initiated', 'queued', 'queued']);
  expect((await api.batch(batchId)).status).toBe('running');
  expect(await statusesAt(batchId, start + 2.5 * second)).toEqual(['ringing', 'initiated', 'queued']);
  expect(await statusesAt(batchId, start + 12 * second)).toEqual(['in-progress', 'ringing', 'queued']);
  expect(await statusesAt(batchId, start + 72 * second)).toEqual([
    'call-disconnected',
    'in-progress',
    'initiated',
  ]);
  expect(await api.batch(batchId)).toMatchObject({
    status: 'running',
    execution_status: { 'call-disconnected': 1, 'in-progress': 1, initiated: 1 },
    updated_at: iso(start + 72 * second),
  });
  expect(await statusesAt(batchId, start + 222 * second)).toEqual([
    'completed',
    'call-disconnected',
    'call-disconnected',
  ]);
  expect(await statusesAt(batchId, start + 294 * second - 1)).toEqual([
    'completed',
    'completed',
    'call-disconnected',
  ]);
  expect((await api.batch(batchId)).status).toBe('running');
  api.clock.set(start + 294 * second);
  expect(await api.batch(batchId)).toMatchObject({ status: 'completed', execution_status: { completed: 3 } });
  api.clock.set(t0 + 3 * 60 * minute);
  expect(await api.batch(batchId)).toMatchObject({
    status: 'completed',
    updated_at: iso(start + 294 * second),
    humanized_created_at: '3 hours ago',
  });
});

test('executions carry every documented field and echo their CSV row', async () => {
  api = await startApi({ calls: { outcomes: { completed: 1 }, costCentsPerMinute: 9 } });
  const batchId = await api.createBatch(threeContacts, { from_phone_numbers: ['+14155550100'] });
  const [prepared] = await api.executions(batchId);
  expect(prepared).toMatchObject({
    status: 'prepared',
    telephony_data: null,
    transcript: null,
    total_cost: 0,
  });

  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  api.clock.set(start + 30 * minute);
  const executions = await api.executions(batchId);
  expect(executions.map((e) => e.context_details.recipient_data)).toEqual([
    { contact_number: '+919876543210', name: 'Asha' },
    { contact_number: '+919812345678', name: 'Ravi' },
    { contact_number: '+14155550123', name: 'Maria' },
  ]);
  const first = executions[0]!;
  expect(Object.keys(first).sort()).toEqual(
    [
      'agent_id',
      'answered_by_voice_mail',
      'batch_id',
      'batch_run_details',
      'context_details',
      'conversation_duration',
      'cost_breakdown',
      'created_at',
      'error_message',
      'extracted_data',
      'id',
      'retry_count',
      'retry_history',
      'scheduled_at',
      'status',
      'telephony_data',
      'total_cost',
      'transcript',
      'updated_at',
    ].sort(),
  );
  expect(first).toMatchObject({
    id: like.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
    agent_id: like.any(String),
    batch_id: batchId,
    status: 'completed',
    error_message: null,
    conversation_duration: 60,
    total_cost: 9,
    cost_breakdown: { llm: 2.25, network: 1.35, platform: 1.8, synthesizer: 2.25, transcriber: 1.35 },
    transcript: like.stringContaining('+919876543210'),
    answered_by_voice_mail: false,
    created_at: iso(t0),
    updated_at: iso(start + 222 * second),
    batch_run_details: {
      status: 'completed',
      created_at: iso(t0),
      updated_at: iso(start + 222 * second),
      retried: 0,
    },
    telephony_data: {
      duration: '60',
      to_number: '+919876543210',
      from_number: '+14155550100',
      recording_url: like.stringMatching(/^https:\/\//),
      provider: like.any(String),
      provider_call_id: like.any(String),
      call_type: 'outbound',
      hangup_by: like.stringMatching(/^(Agent|Callee)$/),
      hangup_reason: like.any(String),
      hangup_provider_code: 16,
      ring_duration: 10,
      post_dial_delay: 2,
    },
    context_details: { recipient_data: { contact_number: '+919876543210', name: 'Asha' } },
  });
  expect(new Set(executions.map((e) => e.id)).size).toBe(3);
});

test('rows with an invalid number are counted, never called, and end failed with an error message', async () => {
  api = await startApi({ calls: { outcomes: { completed: 1 } } });
  const batchId = await api.createBatch('contact_number,name\n+919876543210,Asha\n98765 43210,Ravi\n');
  expect(await api.batch(batchId)).toMatchObject({ total_contacts: 2, valid_contacts: 1 });
  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  expect(await statusesAt(batchId, start)).toEqual(['initiated', 'failed']);
  const invalid = (await api.executions(batchId))[1]!;
  expect(invalid).toMatchObject({
    status: 'failed',
    error_message: like.stringContaining('98765 43210'),
    telephony_data: null,
    context_details: { recipient_data: { contact_number: '98765 43210', name: 'Ravi' } },
  });
  // The one valid call is placed right away, on the first line.
  expect(await statusesAt(batchId, start + 2 * second)).toEqual(['ringing', 'failed']);
});

test('unanswered outcomes end after ringing: no-answer rings out, busy ends at a third, failed at half', async () => {
  // Ringing starts at +2 s and would last 10 s.
  const endsAt = { 'no-answer': 12_000, busy: 5_333, failed: 7_000 };
  for (const [outcome, endMs] of Object.entries(endsAt)) {
    api = await startApi({ calls: { concurrency: 1, outcomes: { [outcome]: 1 } } });
    const batchId = await api.createBatch('contact_number\n+919876543210\n');
    await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
    expect(await statusesAt(batchId, start + endMs - 1)).toEqual(['ringing']);
    expect(await statusesAt(batchId, start + endMs)).toEqual([outcome]);
    expect((await api.executions(batchId))[0]).toMatchObject({
      conversation_duration: 0,
      total_cost: 0,
      transcript: null,
      telephony_data: {
        duration: '0',
        recording_url: null,
        hangup_by: null,
        hangup_reason: like.any(String),
      },
    });
    expect((await api.batch(batchId)).status).toBe('completed');
    await api.simulator.close();
  }
});

test('outcomes and durations follow the seed: the same seed replays a run exactly, another seed differs', async () => {
  async function run(seed: number): Promise<Execution[]> {
    api = await startApi({
      seed,
      calls: {
        dialMs: { min: 1_000, max: 3_000 },
        ringMs: { min: 5_000, max: 25_000 },
        talkMs: { min: 30_000, max: 180_000 },
        postProcessingMs: { min: 120_000, max: 180_000 },
        outcomes: { completed: 0.7, 'no-answer': 0.15, busy: 0.1, failed: 0.05 },
      },
    });
    const rows = Array.from({ length: 30 }, (_, i) => `+91981234${String(i).padStart(4, '0')}`);
    const batchId = await api.createBatch(`contact_number\n${rows.join('\n')}\n`);
    await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
    api.clock.set(start + 4 * minute);
    const executions = await api.executions(batchId);
    await api.simulator.close();
    return executions;
  }
  const shape = (executions: Execution[]) =>
    executions.map((e) => [e.status, e.conversation_duration, e.telephony_data?.ring_duration ?? null]);
  const first = shape(await run(7));
  const again = shape(await run(7));
  const other = shape(await run(8));
  expect(again).toEqual(first);
  expect(other).not.toEqual(first);
  expect(new Set(first.map(([status]) => status)).size).toBeGreaterThan(2);
});

test('an unknown batch is a 404 for the batch and its executions', async () => {
  api = await startApi();
  for (const path of [`/batches/${'a'.repeat(32)}`, `/batches/${'a'.repeat(32)}/executions`]) {
    const response = await api.call('GET', path);
    expect(response.status).toBe(404);
    expect(fieldsOf(response).message).toBe('Batch not found');
  }
});
