/**
 * `npm run bench:outreach -- --contacts 100000`: one outreach campaign (unanswered calls retried twice, so three
 * waves) on one worker process, the Temporal dev server and the simulator (shrunk rules, short calls on a thousand
 * lines). Prints its figures as a table, and a Markdown copy for docs/scale.md's "Outreach at scale" section: history
 * events per run, the worker's peak memory, and how long the ledger's steps took for each wave. Exits 1 when the
 * campaign did not complete.
 */
import { availableParallelism, cpus, totalmem } from 'node:os';
import Table from 'cli-table3';
import { Command } from 'commander';
import { runOutreachBench } from '../test/support/outreach-bench';
import type { OutreachBenchFigures } from '../test/support/outreach-bench';
import { wholeNumberBetween } from './number-options';

const mebibytes = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MB`;
const seconds = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

function rows(figures: OutreachBenchFigures): [string, string][] {
  const { worker, waves } = figures;
  return [
    ['contacts', String(figures.contacts)],
    ['outcome', figures.result?.outcome ?? `not completed: ${figures.failure ?? '?'}`],
    ['waves: contacts in each', `${waves.length}: ${waves.map((wave) => wave.contacts).join(' / ')}`],
    ['wall time (start → result)', seconds(figures.wallTimeMs)],
    ['history events per run (max)', `${figures.historyEventsPerRunMax} (${figures.runs} runs)`],
    [
      'worker RSS when ready / peak while the campaign ran / peak over its life',
      `${mebibytes(worker.rssAtReadyBytes)} / ${mebibytes(worker.peakRssWhileRunningBytes)} / ${mebibytes(worker.peakRssBytes)}`,
    ],
    ['worker CPU while the campaign ran', `${worker.cpuSecondsWhileRunning.toFixed(1)} s`],
    ['ledger: prepareOutreach (CSV checks + first ledger)', seconds(figures.prepareMs)],
    ...waves.map((wave): [string, string] => [
      `ledger: wave ${wave.number} planWave / recordWave`,
      `${seconds(wave.planMs)} / ${seconds(wave.recordMs)}` +
        (wave.waitPlans > 0 ? ` (+${wave.waitPlans} plan(s) that waited)` : ''),
    ]),
    ['ledger: finishOutreach (contacts files + report)', seconds(figures.finishMs)],
    ...waves.map((wave): [string, string] => [`wave ${wave.number} batch campaign run`, seconds(wave.runMs)]),
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
  const options = new Command('bench:outreach')
    .description('run one outreach campaign of three waves on one worker process and print what it took')
    .option('--contacts <n>', 'contacts in the campaign', wholeNumberBetween(1, 1_000_000), 100_000)
    .option('--max-minutes <m>', 'hard bound on the whole run', wholeNumberBetween(1, 180), 60)
    .parse()
    .opts<{ contacts: number; maxMinutes: number }>();
  // The hard bound: whatever hangs (a server that never starts, a shutdown that never ends), the run ends here.
  const boundMs = options.maxMinutes * 60_000;
  setTimeout(() => {
    console.error(`The benchmark took longer than --max-minutes ${options.maxMinutes}: aborted`);
    process.exit(1);
  }, boundMs).unref();
  const { figures } = await runOutreachBench({
    contacts: options.contacts,
    // A campaign still running by then is terminated; the rest of the bound is for the histories and shutdown.
    deadline: Date.now() + boundMs - Math.min(120_000, boundMs / 5),
    log: (line) => console.log(line),
  });
  console.log(
    `Machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? '?'}), ${mebibytes(totalmem())} memory`,
  );
  const table = new Table({ head: ['figure', 'value'], style: { head: [], border: [] } });
  table.push(...rows(figures));
  console.log(table.toString());
  console.log(`\nFor docs/scale.md:\n\n${markdown(rows(figures))}\n`);
  if (!figures.completed) console.error(`NOT COMPLETED: ${figures.failure ?? '?'}`);
  process.exitCode = figures.completed ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
