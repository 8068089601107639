/**
 * `npm run bench:campaigns -- --campaigns 500 --rows 20`: many campaigns on one worker process, the Temporal dev
 * server and the simulator (shrunk rules, its own 1,000/min limit, no faults); prints the figures that size a worker
 * as a table, and a Markdown copy for docs/scale.md. Worker settings can be tried with the flags
 * below; unset ones keep the worker's defaults. Exits 1 when any campaign did not complete.
 */
import Table from 'cli-table3';
import { Command } from 'commander';
import type { WorkerTuning } from '../src/config';
import type { Percentiles } from '../test/support/bench-statistics';
import { runCampaignBench } from '../test/support/campaign-bench';
import type { CampaignBenchFigures } from '../test/support/campaign-bench';
import { wholeNumberBetween } from './number-options';

const mebibytes = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MB`;
const milliseconds = (ms: number | undefined) => (ms === undefined ? '—' : `${Math.round(ms)} ms`);
const percentiles = (p: Percentiles) =>
  `${milliseconds(p.p50Ms)} / ${milliseconds(p.p95Ms)} (max ${milliseconds(p.maxMs)}, ${p.count} tasks)`;

function rows(figures: CampaignBenchFigures): [string, string][] {
  const { worker, requests } = figures;
  return [
    ['campaigns completed', `${figures.completed} of ${figures.campaigns}`],
    ['wall time (first start → last end)', `${(figures.wallTimeMs / 1000).toFixed(0)} s`],
    [
      'machine: CPUs, load average at start / end',
      `${figures.machine.cpus}, ${figures.machine.loadAtStart.toFixed(1)} / ${figures.machine.loadAtEnd.toFixed(1)}`,
    ],
    [
      'worker peak RSS (whole life / while campaigns ran)',
      `${mebibytes(worker.peakRssBytes)} / ${mebibytes(worker.peakRssWhileRunningBytes)}`,
    ],
    [
      'worker CPU (whole life / while campaigns ran)',
      `${worker.cpuSeconds.toFixed(1)} s / ${worker.cpuSecondsWhileRunning.toFixed(1)} s`,
    ],
    ['workflow task schedule-to-start p50 / p95', percentiles(figures.workflowTaskScheduleToStart)],
    ['activity schedule-to-start p50 / p95 (first attempts)', percentiles(figures.activityScheduleToStart)],
    ['history events per run (max)', `${figures.historyEventsPerRunMax} (${figures.runs} runs)`],
    ['Bolna requests in all', String(requests.total)],
    [
      'Bolna requests per campaign (mean / max)',
      `${requests.perCampaignMean.toFixed(1)} / ${requests.perCampaignMax}`,
    ],
    ['Bolna requests naming no campaign', String(requests.namingNoCampaign)],
    ['Bolna requests per minute (peak, sliding 60 s)', String(requests.peakPerMinute)],
    ['429s received', String(requests.rateLimited)],
  ];
}

function markdown(lines: [string, string][]): string {
  return [
    '| figure | value |',
    '| --- | --- |',
    ...lines.map(([figure, value]) => `| ${figure} | ${value} |`),
  ].join('\n');
}

async function main(): Promise<void> {
  const options = new Command('bench:campaigns')
    .description('run many campaigns on one worker process and print what it took')
    .option('--campaigns <n>', 'campaigns to run at once', wholeNumberBetween(1, 2_000), 500)
    .option('--rows <n>', 'contacts per campaign', wholeNumberBetween(1, 1_000), 20)
    .option('--max-minutes <m>', 'hard bound on the whole run', wholeNumberBetween(1, 120), 20)
    .option(
      '--poll-seconds <s>',
      "the campaigns' poll interval (default: the product's)",
      wholeNumberBetween(1, 3_600),
    )
    .option(
      '--max-cached-workflows <n>',
      'worker: workflows kept in its cache',
      wholeNumberBetween(2, 100_000),
    )
    .option(
      '--max-concurrent-workflow-task-executions <n>',
      'worker: workflow task slots',
      wholeNumberBetween(2, 10_000),
    )
    .option(
      '--max-concurrent-activity-task-executions <n>',
      'worker: activity slots',
      wholeNumberBetween(1, 10_000),
    )
    .option('--workflow-task-pollers <n>', 'worker: workflow task pollers', wholeNumberBetween(2, 1_000))
    .option('--activity-task-pollers <n>', 'worker: activity task pollers', wholeNumberBetween(1, 1_000))
    .parse()
    .opts<{
      campaigns: number;
      rows: number;
      maxMinutes: number;
      pollSeconds?: number;
      maxCachedWorkflows?: number;
      maxConcurrentWorkflowTaskExecutions?: number;
      maxConcurrentActivityTaskExecutions?: number;
      workflowTaskPollers?: number;
      activityTaskPollers?: number;
    }>();
  const tuning: Partial<WorkerTuning> = Object.fromEntries(
    Object.entries({
      maxCachedWorkflows: options.maxCachedWorkflows,
      maxConcurrentWorkflowTaskExecutions: options.maxConcurrentWorkflowTaskExecutions,
      maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions,
      maxConcurrentWorkflowTaskPolls: options.workflowTaskPollers,
      maxConcurrentActivityTaskPolls: options.activityTaskPollers,
    }).filter(([, value]) => value !== undefined),
  );
  // The hard bound: whatever hangs (a server that never starts, a shutdown that never ends), the run ends here.
  const boundMs = options.maxMinutes * 60_000;
  setTimeout(() => {
    console.error(`The benchmark took longer than --max-minutes ${options.maxMinutes}: aborted`);
    process.exit(1);
  }, boundMs).unref();
  const { figures } = await runCampaignBench({
    campaigns: options.campaigns,
    rowsPerCampaign: options.rows,
    tuning,
    ...(options.pollSeconds === undefined ? {} : { pollIntervalSeconds: options.pollSeconds }),
    // Campaigns still running by then are terminated; the rest of the bound is for the histories and shutdown.
    deadline: Date.now() + boundMs - Math.min(120_000, boundMs / 5),
    log: (line) => console.log(line),
  });
  const settings = Object.entries(tuning).map(([name, value]) => `${name}=${value}`);
  console.log(
    `${options.campaigns} campaigns × ${options.rows} rows; worker settings: ${settings.join(', ') || 'defaults'}`,
  );
  const table = new Table({ head: ['figure', 'value'], style: { head: [], border: [] } });
  table.push(...rows(figures));
  console.log(table.toString());
  console.log(`\nFor docs/scale.md:\n\n${markdown(rows(figures))}\n`);
  for (const { workflowId, reason } of figures.failed)
    console.error(`NOT COMPLETED ${workflowId}: ${reason}`);
  process.exitCode = figures.completed === figures.campaigns ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
