import { readFile } from 'node:fs/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { DateTime } from 'luxon';
import { stopSignal } from '../../src/workflows/definitions';
import { outreachCampaign } from '../../src/workflows/outreach-campaign';
import { outreachProgressQuery, pauseSignal, resumeSignal } from '../../src/workflows/outreach-definitions';
import type { OutreachInput, OutreachProgress } from '../../src/workflows/outreach-definitions';
import { contactsCsv, lifelikeCalls, testAgentId } from '../support/constants';
import { waitFor } from '../support/wait-for';
import { startWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';
import { uniqueWorkflowId } from '../support/workflow-steps';

/**
 * Outreach campaigns over several waves on the time-skipping server with Bolna's real rules (2-minute lead,
 * 10-minute rounding): the simulator's batches move on the test server's clock, so hours pass in seconds.
 */

const minute = 60_000;
const hour = 60 * minute;
let harness: WorkflowHarness;

beforeAll(async () => {
  harness = await startWorkflowHarness({
    calls: { ...lifelikeCalls, outcomes: { completed: 1, 'no-answer': 1 } },
  });
  await harness.runWorker();
});

afterAll(async () => {
  await harness?.close();
});

async function outreachInput(rows: number, extra: Partial<OutreachInput> = {}): Promise<OutreachInput> {
  const csv = await harness.writeCsv(`${uniqueWorkflowId('outreach')}.csv`, contactsCsv(rows));
  return { agentId: testAgentId, csv, pollIntervalSeconds: 30, ...extra };
}

function startOutreach(input: OutreachInput): Promise<WorkflowHandle<typeof outreachCampaign>> {
  return harness.env.client.workflow.start(outreachCampaign, {
    workflowId: uniqueWorkflowId('outreach'),
    taskQueue: 'test-campaigns',
    args: [input],
  });
}

/** The batches the simulator created since `before`, oldest first, with the numbers each was given. */
function batchesSince(before: number) {
  return harness.simulator.batches
    .list()
    .slice(before)
    .map((batch) => {
      const column = batch.columns.indexOf('contact_number');
      return { batch, numbers: batch.rows.map((row) => row[column] ?? '') };
    });
}

/** Each number's final call status in a batch, from the simulator's own view at `nowMs`. */
function finalStatuses(batchId: string, nowMs: number): Map<string, string> {
  const batch = harness.simulator.batches.list().find((each) => each.batchId === batchId)!;
  const column = batch.columns.indexOf('contact_number');
  const states = harness.simulator.batches.callStates(batch, nowMs);
  return new Map(batch.rows.map((row, index) => [row[column] ?? '', states[index]!.status]));
}

test('unanswered contacts are called again in a later wave, no sooner than `after`, up to maxAttempts', async () => {
  const before = harness.simulator.batches.size;
  const handle = await startOutreach(
    await outreachInput(8, { retry: { on: ['no-answer'], maxAttempts: 2, after: '2h' } }),
  );
  const result = await handle.result();
  const now = await harness.clock.now();

  const waves = batchesSince(before);
  expect(result.outcome).toBe('completed');
  expect(waves.length).toBe(result.waves);
  const [first, second] = waves;
  expect(first!.numbers).toHaveLength(8);
  const firstStatuses = finalStatuses(first!.batch.batchId, now);
  const unanswered = [...firstStatuses].filter(([, status]) => status === 'no-answer').map(([n]) => n);
  // The seeded simulator answers some and not others: the test means something only if both happen.
  expect(unanswered.length).toBeGreaterThan(0);
  expect(unanswered.length).toBeLessThan(8);
  expect(second!.numbers.sort()).toEqual(unanswered.sort());
  // Nobody gets a third call: maxAttempts is 2.
  expect(waves).toHaveLength(2);
  // The retry wave started at least 2 hours after the first wave's last call.
  expect(second!.batch.schedule!.startsAtMs - first!.batch.schedule!.finishesAtMs).toBeGreaterThanOrEqual(
    2 * hour,
  );

  const secondStatuses = finalStatuses(second!.batch.batchId, now);
  const answered = [...firstStatuses.values(), ...secondStatuses.values()].filter(
    (s) => s === 'completed',
  ).length;
  expect(result.contacts.answered).toBe(answered);
  expect(result.contacts.exhausted).toBe(8 - answered);
  expect(result.contacts.pending + result.contacts['retry-waiting'] + result.contacts['in-wave']).toBe(0);

  const contacts = (await readFile(result.files!.contactsCsv, 'utf8')).trim().split('\n');
  expect(contacts).toHaveLength(9);
}, 120_000);

/** Sets the simulator's outcome mix for one test. */
async function withOutcomes<T>(
  outcomes: Partial<Record<'completed' | 'no-answer' | 'busy' | 'failed', number>>,
  run: () => Promise<T>,
): Promise<T> {
  const calls = harness.simulator.settings.calls;
  const saved = calls.outcomes;
  calls.outcomes = { completed: 0, 'no-answer': 0, busy: 0, failed: 0, ...outcomes };
  try {
    return await run();
  } finally {
    calls.outcomes = saved;
  }
}

/** How many calls the simulator placed (its log of dialled calls) to each number, in the batches since `before`. */
async function placedCallsPerNumber(before: number): Promise<Map<string, number>> {
  const batchIds = new Set(batchesSince(before).map(({ batch }) => batch.batchId));
  const placed = new Map<string, number>();
  for (const call of await harness.simulator.placedCalls()) {
    if (batchIds.has(call.batchId)) placed.set(call.toNumber, (placed.get(call.toNumber) ?? 0) + 1);
  }
  return placed;
}

async function progressOf(handle: WorkflowHandle<typeof outreachCampaign>): Promise<OutreachProgress> {
  return handle.query(outreachProgressQuery);
}

test('a pause stops the running wave and a resume goes on: nobody called twice, nobody lost', async () => {
  await withOutcomes({ completed: 1 }, async () => {
    const before = harness.simulator.batches.size;
    const handle = await startOutreach(await outreachInput(24));
    const calling = await waitFor('the first wave', async () => {
      const progress = await progressOf(handle);
      return progress.phase === 'calling' ? progress : undefined;
    });
    // Five minutes into the wave: the first round of calls (3 lines) is over, most of the list not yet called.
    await harness.env.sleep(Date.parse(calling.waves[0]!.startAt) + 5 * minute - (await harness.clock.now()));
    await handle.signal(pauseSignal, 'the offer changed');
    // Time stands still until the stop has reached Bolna: the pause acts at this moment of the wave.
    await waitFor('the stop of the wave', () =>
      harness.simulator.requests.some(
        (request) =>
          request.method === 'POST' &&
          /^\/batches\/[^/]+\/stop$/.test(request.path) &&
          request.at >= Date.parse(calling.waves[0]!.startAt),
      )
        ? true
        : undefined,
    );
    await harness.env.sleep(30 * minute);
    const paused = await progressOf(handle);
    expect(paused.phase).toBe('paused');
    expect(paused.pauseReason).toBe('the offer changed');
    expect(paused.waves[0]!.outcome).toBe('stopped');
    // Calls the stop cut off on the line were placed: they count as attempts (exhausted), and are not made again.
    const calledBeforePause = paused.contacts.answered + paused.contacts.exhausted;
    expect(paused.contacts.answered).toBeGreaterThan(0);
    expect(paused.contacts.pending).toBe(24 - calledBeforePause);
    expect(paused.contacts.pending).toBeGreaterThan(0);
    // Held: no new wave while paused, however long.
    await harness.env.sleep(6 * hour);
    expect(harness.simulator.batches.size - before).toBe(1);

    await handle.signal(resumeSignal);
    const result = await handle.result();
    expect(result.outcome).toBe('completed');
    expect(result.contacts.answered + result.contacts.exhausted).toBe(24);
    const placed = await placedCallsPerNumber(before);
    expect(placed.size).toBe(24);
    expect([...placed.values()].every((calls) => calls === 1)).toBe(true);
  });
}, 120_000);

test('the deadline: no wave starts after it, and contacts still waiting then expire', async () => {
  await withOutcomes({ 'no-answer': 1 }, async () => {
    const before = harness.simulator.batches.size;
    const deadline = new Date((await harness.clock.now()) + 3 * hour).toISOString();
    const handle = await startOutreach(
      await outreachInput(6, { retry: { on: ['no-answer'], maxAttempts: 5, after: '2h' }, deadline }),
    );
    const result = await handle.result();

    expect(result.outcome).toBe('deadline');
    expect(result.contacts.expired).toBe(6);
    const waves = batchesSince(before);
    expect(waves).toHaveLength(2);
    for (const { batch } of waves) expect(batch.schedule!.startsAtMs).toBeLessThan(Date.parse(deadline));
  });
}, 120_000);

test('a campaign whose contacts all got through before its deadline ends completed, not at the deadline', async () => {
  await withOutcomes({ completed: 1 }, async () => {
    const deadline = new Date((await harness.clock.now()) + 2 * 24 * hour).toISOString();
    const handle = await startOutreach(
      await outreachInput(3, { retry: { on: ['no-answer'], maxAttempts: 3, after: '2h' }, deadline }),
    );
    const result = await handle.result();

    expect(result.waves).toBe(1);
    expect(result.contacts.answered).toBe(3);
    expect(result.contacts.expired).toBe(0);
    expect(result.outcome).toBe('completed');
  });
}, 120_000);

test('the budget stops the running wave once its spend crosses it, within the documented bound', async () => {
  await withOutcomes({ completed: 1 }, async () => {
    const before = harness.simulator.batches.size;
    // A minute's talk costs 9 cents here: a budget of about four calls, checked every 2 minutes.
    const handle = await startOutreach(
      await outreachInput(24, { budget: { maxCost: 30, checkEveryMinutes: 2 } }),
    );
    const result = await handle.result();

    expect(result.outcome).toBe('budget');
    expect(result.spendCents).toBeGreaterThanOrEqual(30);
    // Overshoot: the calls ended between two checks plus those on the line at the stop (3 lines, 4 minutes a call).
    const perCall = result.spendCents / result.contacts.answered;
    expect(result.spendCents).toBeLessThanOrEqual(30 + 2 * 3 * perCall + 3 * perCall);
    expect(result.contacts.pending).toBeGreaterThan(0);
    expect(batchesSince(before)).toHaveLength(1);
  });
}, 120_000);

test('the goal ends the campaign once enough contacts extracted the value it counts', async () => {
  await withOutcomes({ completed: 1 }, async () => {
    const handle = await startOutreach(
      await outreachInput(24, {
        goal: { field: 'simulated', equals: true, count: 4 },
        budget: { maxCost: 1_000_000, checkEveryMinutes: 2 },
      }),
    );
    const result = await handle.result();

    expect(result.outcome).toBe('goal');
    expect(result.goalReached).toBeGreaterThanOrEqual(4);
    expect(result.contacts.answered).toBe(result.goalReached);
    expect(result.contacts.pending).toBeGreaterThan(0);
  });
}, 120_000);

test('suppressed numbers are never in any uploaded list, and are counted', async () => {
  const before = harness.simulator.batches.size;
  const input = await outreachInput(8, { retry: { on: ['no-answer'], maxAttempts: 3, after: '30 minutes' } });
  const all = contactsCsv(8)
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0]!);
  const blocked = [all[1]!, all[4]!, all[6]!];
  const suppress = await harness.writeCsv(
    `${uniqueWorkflowId('dnc')}.csv`,
    `contact_number\n${blocked.join('\n')}\n`,
  );
  const result = await (await startOutreach({ ...input, suppress: [suppress] })).result();

  expect(result.contacts.suppressed).toBe(3);
  const uploaded = batchesSince(before).flatMap(({ numbers }) => numbers);
  expect(uploaded.length).toBeGreaterThan(0);
  for (const number of blocked) expect(uploaded).not.toContain(number);
}, 120_000);

/** Whether `atMs` is inside the window in `zone`, read with luxon alone (not the product's window code). */
function insideWindow(
  atMs: number,
  zone: string,
  window: { start: string; end: string; days?: string[]; holidays?: string[] },
): boolean {
  const local = DateTime.fromMillis(atMs, { zone });
  const time = local.toFormat('HH:mm');
  const day = local.toFormat('ccc').toLowerCase();
  return (
    time >= window.start &&
    time < window.end &&
    (window.days?.includes(day) ?? true) &&
    !(window.holidays ?? []).includes(local.toISODate() ?? '')
  );
}

test("calls are placed only inside each recipient's window, in their own zone, weekdays and holidays too", async () => {
  const rows = [
    'contact_number,first_name',
    ...[10, 11, 12, 13].map((n) => `+9198765432${n},India ${n}`),
    ...[21, 22, 23].map((n) => `+14155550${n}0,California ${n}`),
    ...[31, 32].map((n) => `+4479111234${n},London ${n}`),
    ...[41, 42].map((n) => `+6141234567${n % 10},Sydney ${n}`),
  ];
  const csv = await harness.writeCsv(`${uniqueWorkflowId('zones')}.csv`, `${rows.join('\n')}\n`);
  const now = DateTime.fromMillis(await harness.clock.now(), { zone: 'UTC' });
  const window = {
    start: '10:00',
    end: '16:00',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const,
    holidays: [now.plus({ days: 2 }).toISODate()!],
  };
  const before = (await harness.simulator.placedCalls()).length;
  const result = await (
    await startOutreach({
      agentId: testAgentId,
      csv,
      pollIntervalSeconds: 30,
      window: { ...window, days: [...window.days] },
      retry: { on: ['no-answer'], maxAttempts: 3, after: '3h' },
    })
  ).result();

  expect(result.outcome).toBe('completed');
  expect(result.waves).toBeGreaterThanOrEqual(3);
  const placed = (await harness.simulator.placedCalls()).slice(before);
  expect(new Set(placed.map((call) => call.toNumber)).size).toBe(11);
  for (const call of placed) {
    const zones = await harness.simulator.timeZonesOf(call.toNumber);
    expect(zones.length).toBeGreaterThan(0);
    for (const zone of zones) {
      const inside = insideWindow(call.placedAtMs, zone, { ...window, days: [...window.days] });
      if (!inside)
        throw new Error(
          `${call.toNumber} was called at ${DateTime.fromMillis(call.placedAtMs, { zone }).toISO()} (${zone})`,
        );
    }
  }
}, 120_000);

test('a wave still calling when its window closes is stopped; its uncalled contacts are called in the next window, once', async () => {
  await withOutcomes({ completed: 1 }, async () => {
    const before = harness.simulator.batches.size;
    const placedBefore = (await harness.simulator.placedCalls()).length;
    // Three lines, a call every 70 s or so on each: about 150 calls an hour, fewer than the list.
    const window = { start: '09:00', end: '10:00', timeZone: 'Asia/Kolkata' };
    const result = await (await startOutreach(await outreachInput(240, { window }))).result();

    expect(result.outcome).toBe('completed');
    expect(result.contacts.answered + result.contacts.exhausted).toBe(240);
    expect(result.contacts.answered).toBeGreaterThan(200);
    const waves = batchesSince(before);
    expect(waves.length).toBeGreaterThanOrEqual(2);
    expect(waves[0]!.batch.stopped).toBeDefined();
    const placed = (await harness.simulator.placedCalls()).slice(placedBefore);
    expect(placed).toHaveLength(240);
    expect(new Set(placed.map((call) => call.toNumber)).size).toBe(240);
    for (const call of placed) expect(insideWindow(call.placedAtMs, 'Asia/Kolkata', window)).toBe(true);
  });
}, 120_000);

test('the daily cap: no number gets more calls on one of its local days than maxCallsPerNumberPerDay', async () => {
  await withOutcomes({ 'no-answer': 1 }, async () => {
    const before = harness.simulator.batches.size;
    const result = await (
      await startOutreach(
        await outreachInput(4, {
          retry: { on: ['no-answer'], maxAttempts: 5, after: '1h' },
          maxCallsPerNumberPerDay: 2,
        }),
      )
    ).result();

    expect(result.outcome).toBe('completed');
    expect(result.contacts.exhausted).toBe(4);
    const batchIds = new Set(batchesSince(before).map(({ batch }) => batch.batchId));
    const callsPerNumberAndDay = new Map<string, number>();
    for (const call of await harness.simulator.placedCalls()) {
      if (!batchIds.has(call.batchId)) continue;
      const day = DateTime.fromMillis(call.placedAtMs, { zone: 'Asia/Kolkata' }).toISODate();
      const key = `${call.toNumber} ${day}`;
      callsPerNumberAndDay.set(key, (callsPerNumberAndDay.get(key) ?? 0) + 1);
    }
    // Five attempts each, at most two a day: spread over three local days.
    expect([...callsPerNumberAndDay.values()].reduce((sum, calls) => sum + calls, 0)).toBe(20);
    expect(Math.max(...callsPerNumberAndDay.values())).toBe(2);
    expect(
      new Set([...callsPerNumberAndDay.keys()].map((key) => key.split(' ')[1])).size,
    ).toBeGreaterThanOrEqual(3);
  });
}, 120_000);

test("a wave whose every call Bolna held back as outside the agent's hours pauses the campaign for an operator", async () => {
  harness.simulator.settings.guardrails = { startMinute: 9 * 60, endMinute: 21 * 60 };
  try {
    const before = harness.simulator.batches.size;
    const window = { start: '06:00', end: '08:00', timeZone: 'Asia/Kolkata' };
    const handle = await startOutreach(await outreachInput(5, { window }));
    const paused = await waitFor(
      'the campaign to pause itself',
      async () => {
        await harness.env.sleep(6 * hour);
        const progress = await progressOf(handle);
        return progress.phase === 'paused' ? progress : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 10 },
    );
    expect(paused.pauseReason).toMatch(/Bolna placed no call of wave 1 while its batch ran.*calling hours/);
    // Held back, never placed: no attempt, nobody lost.
    expect(paused.contacts.pending).toBe(5);
    expect(batchesSince(before)).toHaveLength(1);
    await handle.signal(stopSignal, 'wrong window');
    const result = await handle.result();
    expect(result.outcome).toBe('stopped');
    expect(result.contacts.pending).toBe(5);
  } finally {
    delete harness.simulator.settings.guardrails;
  }
}, 120_000);
