import { runCampaignBench } from '../support/campaign-bench';
import type { CampaignBenchEvidence, CampaignBenchFigures } from '../support/campaign-bench';

/**
 * A small campaign benchmark in the suite (the full one is `npm run bench:campaigns`): ten campaigns on one worker
 * process. The figures are checked against the raw request log and histories, counted here another way, so a
 * benchmark that miscounted would fail instead of printing a flattering table.
 */

const campaigns = 10;
let figures: CampaignBenchFigures;
let evidence: CampaignBenchEvidence;

beforeAll(async () => {
  ({ figures, evidence } = await runCampaignBench({
    campaigns,
    rowsPerCampaign: 4,
    // Settings other than the defaults, passed through the worker's environment (src/config.ts reads them).
    tuning: {
      maxCachedWorkflows: 20,
      maxConcurrentWorkflowTaskExecutions: 4,
      maxConcurrentWorkflowTaskPolls: 2,
    },
    pollIntervalSeconds: 2,
    deadline: Date.now() + 100_000,
  }));
}, 150_000);

test('every campaign completes', () => {
  expect(figures.failed).toEqual([]);
  expect(figures.completed).toBe(campaigns);
  expect(evidence.campaigns.every(({ batchId }) => batchId !== undefined)).toBe(true);
});

test("requests per campaign are what the simulator's log shows for the campaign's agent and batch", () => {
  const perCampaign = evidence.campaigns.map(
    ({ agentId, batchId }) =>
      evidence.requests.filter(
        (request) =>
          request.path.includes(agentId) ||
          (batchId !== undefined && request.path.includes(batchId)) ||
          request.fields?.agent_id === agentId,
      ).length,
  );
  const attributed = perCampaign.reduce((sum, count) => sum + count, 0);
  // Every campaign reads the account, creates, schedules, polls and collects: more than a handful each.
  expect(Math.min(...perCampaign)).toBeGreaterThanOrEqual(6);
  expect(figures.requests.total).toBe(evidence.requests.length);
  expect(figures.requests.perCampaignMax).toBe(Math.max(...perCampaign));
  expect(figures.requests.perCampaignMean).toBeCloseTo(attributed / campaigns, 10);
  expect(figures.requests.namingNoCampaign).toBe(evidence.requests.length - attributed);
  expect(figures.requests.namingNoCampaign).toBe(
    evidence.requests.filter((request) => request.path === '/user/me').length,
  );
  expect(figures.requests.rateLimited).toBe(
    evidence.requests.filter((request) => request.status === 429).length,
  );
});

test('the peak per minute is the fullest 60 s of arrivals', () => {
  const arrivals = evidence.requests.map((request) => request.at);
  const fullest = Math.max(
    ...arrivals.map((end) => arrivals.filter((at) => at > end - 60_000 && at <= end).length),
  );
  expect(figures.requests.peakPerMinute).toBe(fullest);
});

test('history figures come from every run of every campaign, whole', () => {
  const runs = evidence.histories.flat();
  expect(runs).toHaveLength(figures.runs);
  expect(figures.runs).toBeGreaterThanOrEqual(campaigns);
  for (const { events } of runs) {
    expect(events?.[0]?.workflowExecutionStartedEventAttributes).toBeTruthy();
    expect(events?.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
  }
  expect(figures.historyEventsPerRunMax).toBe(Math.max(...runs.map(({ events }) => events?.length ?? 0)));
  const workflowTasks = runs.flatMap(({ events }) =>
    (events ?? []).filter((event) => event.workflowTaskStartedEventAttributes),
  );
  const latency = figures.workflowTaskScheduleToStart;
  expect(latency.count).toBe(workflowTasks.length);
  expect(latency.p50Ms).toBeGreaterThanOrEqual(0);
  expect(latency.p50Ms!).toBeLessThanOrEqual(latency.p95Ms!);
  expect(latency.p95Ms!).toBeLessThanOrEqual(latency.maxMs!);
});

test("the worker's memory and CPU are those of a live worker process", () => {
  const { worker } = figures;
  expect(worker.peakRssBytes).toBeGreaterThanOrEqual(worker.peakRssWhileRunningBytes);
  expect(worker.peakRssWhileRunningBytes).toBeGreaterThan(50 * 1024 ** 2);
  expect(worker.cpuSeconds).toBeGreaterThan(worker.cpuSecondsWhileRunning);
  expect(worker.cpuSecondsWhileRunning).toBeGreaterThan(0);
});
