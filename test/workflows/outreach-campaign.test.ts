import { readFile } from 'node:fs/promises';
import type { WorkflowHandle } from '@temporalio/client';
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

/**
 * How many calls the simulator placed (dialled) to each number, over the batches since `before`, at `nowMs`: a call
 * a stop cut short on the line was placed all the same; one the stop came before was not.
 */
function placedCallsPerNumber(before: number, nowMs: number): Map<string, number> {
  const placed = new Map<string, number>();
  for (const { batch, numbers } of batchesSince(before)) {
    const endMs = Math.min(nowMs, batch.stopped?.atMs ?? Infinity);
    numbers.forEach((number, index) => {
      const call = batch.schedule?.calls[index];
      if (call && call.dialAtMs <= endMs) placed.set(number, (placed.get(number) ?? 0) + 1);
    });
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
    // Five minutes into the wave: four rounds of calls placed (the first answered, later ones still on the line or
    // in post-processing, which the stop cuts short), half the list not yet called.
    await harness.env.sleep(Date.parse(calling.waves[0]!.startAt) + 5 * minute - (await harness.clock.now()));
    await handle.signal(pauseSignal, 'the offer changed');
    await harness.env.sleep(30 * minute);
    const paused = await progressOf(handle);
    expect(paused.phase).toBe('paused');
    expect(paused.pauseReason).toBe('the offer changed');
    expect(paused.waves[0]!.outcome).toBe('stopped');
    expect(paused.contacts.answered).toBeGreaterThan(0);
    // A call the stop cut short was a call: it keeps its result (not retried here), it is not made again.
    const calledBeforePause = paused.contacts.answered + paused.contacts.exhausted;
    expect(paused.contacts.pending).toBeGreaterThan(0);
    expect(paused.contacts.pending).toBe(24 - calledBeforePause);
    // Held: no new wave while paused, however long.
    await harness.env.sleep(6 * hour);
    expect(harness.simulator.batches.size - before).toBe(1);

    await handle.signal(resumeSignal);
    const result = await handle.result();
    expect(result.outcome).toBe('completed');
    expect(result.contacts.answered + result.contacts.exhausted).toBe(24);
    const placed = placedCallsPerNumber(before, await harness.clock.now());
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
