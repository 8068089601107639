import { ledgerSteps, runOutreachBench } from '../support/outreach-bench';
import type { OutreachBenchEvidence, OutreachBenchFigures } from '../support/outreach-bench';

/**
 * A small outreach benchmark in the suite (the full one is `npm run bench:outreach`, 100,000 contacts): 300
 * contacts over three waves on one worker process. Its figures are checked against the simulator's batches and the
 * fetched histories, counted here another way, so a benchmark that miscounted would fail instead of printing a
 * flattering table.
 */

const contacts = 300;
let figures: OutreachBenchFigures;
let evidence: OutreachBenchEvidence;

beforeAll(async () => {
  ({ figures, evidence } = await runOutreachBench({ contacts, deadline: Date.now() + 200_000 }));
}, 260_000);

test('the campaign completes in three waves, one batch each, as the simulator saw them', () => {
  expect(figures.failure).toBeUndefined();
  expect(figures.completed).toBe(true);
  expect(figures.result?.waves).toBe(3);
  expect(figures.waves).toHaveLength(3);
  expect(evidence.batches).toHaveLength(3);
  figures.waves.forEach((wave, index) => {
    expect(wave.contacts).toBe(evidence.batches[index]!.numbers.length);
    expect(wave.workflowId).toBe(`${evidence.workflowId}-wave-${wave.number}`);
  });
  expect(figures.waves[0]!.contacts).toBe(contacts);
});

test("each retry wave holds exactly the previous wave's unanswered numbers", () => {
  for (let index = 1; index < evidence.batches.length; index += 1) {
    const previous = evidence.batches[index - 1]!;
    const unanswered = previous.numbers.filter((_, row) => previous.statuses[row] === 'no-answer');
    // The mix leaves some unanswered and answers others: the check means something only if both happen.
    expect(unanswered.length).toBeGreaterThan(0);
    expect(unanswered.length).toBeLessThan(previous.numbers.length);
    expect([...evidence.batches[index]!.numbers].sort()).toEqual(unanswered.sort());
  }
  const answered = evidence.batches.flatMap((batch) => batch.statuses.filter((s) => s === 'completed'));
  expect(figures.result?.contacts.answered).toBe(answered.length);
  expect(figures.result!.contacts.answered + figures.result!.contacts.exhausted).toBe(contacts);
});

test('history figures come from every run of the outreach and its waves, whole', () => {
  const runs = evidence.histories.flatMap((each) => each.runs);
  expect(evidence.histories.map((each) => each.workflowId)).toEqual([
    evidence.workflowId,
    ...figures.waves.map((wave) => wave.workflowId),
  ]);
  expect(figures.runs).toBe(runs.length);
  for (const { events } of runs) {
    expect(events?.[0]?.workflowExecutionStartedEventAttributes).toBeTruthy();
    expect(events?.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
  }
  expect(figures.historyEventsPerRunMax).toBe(Math.max(...runs.map(({ events }) => events?.length ?? 0)));
  // The ledger keeps contacts out of the history: a few hundred events, whatever the list's length.
  expect(figures.historyEventsPerRunMax).toBeLessThan(500);
});

test("ledger times are the outreach history's own scheduled → completed spans", () => {
  const events = evidence.histories[0]!.runs.flatMap((run) => run.events ?? []);
  const atMs = (event: (typeof events)[number]) =>
    Number(event.eventTime?.seconds ?? 0) * 1000 + (event.eventTime?.nanos ?? 0) / 1e6;
  const spans = new Map<string, number[]>();
  for (const event of events) {
    const completed = event.activityTaskCompletedEventAttributes;
    if (!completed) continue;
    const scheduled = events.find((each) => Number(each.eventId) === Number(completed.scheduledEventId))!;
    const name = scheduled.activityTaskScheduledEventAttributes!.activityType!.name!;
    spans.set(name, [...(spans.get(name) ?? []), atMs(event) - atMs(scheduled)]);
  }
  const steps = ledgerSteps(evidence.histories[0]!.runs);
  expect(steps.filter((step) => step.activity === 'planWave').map((step) => step.durationMs)).toEqual(
    spans.get('planWave'),
  );
  expect(figures.waves.map((wave) => wave.recordMs)).toEqual(spans.get('recordWave'));
  expect([figures.prepareMs]).toEqual(spans.get('prepareOutreach'));
  expect([figures.finishMs]).toEqual(spans.get('finishOutreach'));
  // Every wave after the first waited for its retry delay: its first plan found it too early.
  const [first, ...retries] = figures.waves;
  expect(first!.waitPlans).toBe(0);
  for (const wave of retries) expect(wave.waitPlans).toBeGreaterThanOrEqual(1);
});

test("the worker's memory is that of a live worker process", () => {
  const { worker } = figures;
  expect(worker.peakRssBytes).toBeGreaterThanOrEqual(worker.peakRssWhileRunningBytes);
  expect(worker.peakRssWhileRunningBytes).toBeGreaterThan(50 * 1024 ** 2);
  expect(worker.cpuSecondsWhileRunning).toBeGreaterThan(0);
});
