import { startSimulator } from '../../simulator/server';
import { contactsCsv } from '../support/constants';
import { minute, startApi, t0, threeContacts } from './helpers';
import type { Execution, SimulatorApi } from './helpers';

/**
 * `calls.outcomesByLocalTime`: the outcome mix follows the recipient's local time when the call is placed. The
 * batch starts at 12:10 UTC: 17:40 in India (UTC+5:30), 05:10 in San Francisco (UTC-7 in June).
 */

const second = 1_000;
let api: SimulatorApi;
afterEach(() => api.simulator.close());

async function finalExecutions(batchId: string): Promise<Execution[]> {
  api.clock.set(t0 + 2 * 24 * 60 * minute);
  return api.executions(batchId);
}

async function finalStatuses(batchId: string): Promise<string[]> {
  return (await finalExecutions(batchId)).map((execution) => execution.status);
}

test('calls placed at the same moment end differently in different zones; ranges include their start, not their end, and may run over midnight', async () => {
  api = await startApi({
    calls: {
      outcomes: { 'no-answer': 1 },
      outcomesByLocalTime: [
        { from: '12:00', to: '17:40', outcomes: { failed: 1 } },
        { from: '17:40', to: '18:00', outcomes: { completed: 1 } },
        { from: '22:00', to: '06:00', outcomes: { busy: 1 } },
      ],
    },
  });
  const batchId = await api.createBatch(threeContacts);
  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  // India's calls are placed at 17:40:00 and 17:40:01; San Francisco's at 05:11:12, when a line hangs up.
  expect(await finalStatuses(batchId)).toEqual(['completed', 'completed', 'busy']);
});

test('outside every range the plain outcomes apply', async () => {
  api = await startApi({
    calls: {
      outcomes: { 'no-answer': 1 },
      outcomesByLocalTime: [{ from: '09:00', to: '17:00', outcomes: { completed: 1 } }],
    },
  });
  const batchId = await api.createBatch(threeContacts);
  await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
  expect(await finalStatuses(batchId)).toEqual(['no-answer', 'no-answer', 'no-answer']);
});

test('Bolna’s retries follow the local time of their own placement, unless retryOutcomes is set', async () => {
  const retryConfig = JSON.stringify({ enabled: true, max_retries: 1, retry_intervals_minutes: [240] });
  const byLocalTime = [{ from: '09:00', to: '18:00', outcomes: { completed: 1 } }];
  for (const [retryOutcomes, expected] of [
    [undefined, 'completed'],
    [{ failed: 1 }, 'failed'],
  ] as const) {
    api = await startApi({
      calls: { outcomes: { 'no-answer': 1 }, outcomesByLocalTime: byLocalTime, retryOutcomes },
    });
    // 05:10 in San Francisco: no answer; the retry 4 hours later, at 09:10 local, takes the daytime mix.
    const batchId = await api.createBatch('contact_number\n+14155550123\n', { retry_config: retryConfig });
    await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
    const [execution] = await finalExecutions(batchId);
    expect(execution).toMatchObject({
      status: expected,
      retry_count: 1,
      retry_history: [{ attempt: 1, status: 'no-answer' }],
    });
    const placed = await api.simulator.placedCalls();
    expect(placed.map((call) => call.placedAtMs - placed[0]!.placedAtMs)).toEqual([
      0,
      12 * second + 240 * minute,
    ]);
    await api.simulator.close();
  }
});

test('seeded like the rest: a range with the plain mix draws exactly what the plain mix draws', async () => {
  const mix = { completed: 2, 'no-answer': 1, busy: 1 };
  const statusesWith = async (calls: Record<string, unknown>) => {
    api = await startApi({ seed: 42, calls });
    const batchId = await api.createBatch(contactsCsv(30));
    await api.schedule(batchId, '2026-06-23T12:05:00+00:00');
    const statuses = await finalStatuses(batchId);
    await api.simulator.close();
    return statuses;
  };
  const plain = await statusesWith({ outcomes: mix });
  // Every call here is placed between 17:40 and 18:00 in India, inside the range.
  const byLocalTime = await statusesWith({
    outcomes: { failed: 1 },
    outcomesByLocalTime: [{ from: '17:00', to: '19:00', outcomes: mix }],
  });
  expect(new Set(plain)).toEqual(new Set(['completed', 'no-answer', 'busy']));
  expect(byLocalTime).toEqual(plain);
});

test('a range must be two different HH:MM times with a valid mix', async () => {
  const withRange = (range: Record<string, unknown>) =>
    startSimulator({ calls: { outcomesByLocalTime: [range as never] } });
  await expect(withRange({ from: '9:00', to: '17:00', outcomes: { completed: 1 } })).rejects.toThrow(
    /HH:MM[\s\S]*outcomesByLocalTime/,
  );
  await expect(withRange({ from: '09:00', to: '24:00', outcomes: { completed: 1 } })).rejects.toThrow(
    /HH:MM/,
  );
  await expect(withRange({ from: '09:00', to: '09:00', outcomes: { completed: 1 } })).rejects.toThrow(
    /from and to must differ/,
  );
  await expect(withRange({ from: '09:00', to: '17:00', outcomes: { completed: 0 } })).rejects.toThrow(
    /outcome/,
  );
});
