/**
 * `npm run soak`: the fault soak with its figures. Defaults follow the reliability issue: 50 campaigns, 20% 5xx,
 * 5% 429 with Retry-After, 2% dropped connections, 1% lost responses, a 15-minute hard bound. Exits 1 when any
 * campaign failed, any batch was duplicated or any result row is missing.
 */
import Table from 'cli-table3';
import { Command, InvalidArgumentError } from 'commander';
import { installQuietRuntime } from '../test/support/quiet-runtime';
import { runSoak } from '../test/support/soak-run';
import type { SoakFigures } from '../test/support/soak-run';
import { numberBetween } from './number-options';

/** `3` or `1-5`: whole seconds a 429 asks to wait, each random 429 drawing from the range. */
function secondsRange(text: string): { min: number; max: number } {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  const min = Number(match?.[1]);
  const max = Number(match?.[2] ?? match?.[1]);
  if (!match || min > max || max > 60) {
    throw new InvalidArgumentError('must be whole seconds up to 60, or a range like 1-5');
  }
  return { min, max };
}

function report(figures: SoakFigures): string {
  const table = new Table({ head: ['figure', 'value'], style: { head: [], border: [] } });
  const seconds = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);
  table.push(
    ['campaigns started', figures.campaigns],
    ['completed', figures.completed],
    ['failed', figures.failed.length],
    ['API calls', figures.apiCalls],
    ...Object.entries(figures.faults)
      .sort()
      .map(([kind, count]): [string, number] => [`  faults: ${kind}`, count]),
    ['activity retries', figures.activityRetries],
    ['429s retried / waited ≥ Retry-After', `${figures.rateLimits.retried} / ${figures.rateLimits.honoured}`],
    [
      'longest Retry-After honoured',
      figures.rateLimits.longestHonouredSeconds === undefined
        ? '—'
        : `${figures.rateLimits.longestHonouredSeconds} s`,
    ],
    [
      'least extra wait after a 429',
      figures.rateLimits.smallestMarginMs === undefined ? '—' : `${figures.rateLimits.smallestMarginMs} ms`,
    ],
    ['batches created', figures.batchesCreated],
    ['duplicate batches', figures.duplicates],
    ['campaigns without exactly one create', figures.campaignsWithoutExactlyOneCreate],
    ['result rows / CSV rows', `${figures.resultRows} / ${figures.csvRows}`],
    ['wall time', seconds(figures.wallTimeMs)],
  );
  return table.toString();
}

async function main(): Promise<void> {
  const options = new Command('soak')
    .description('run many campaigns against a failing simulator and count what went wrong')
    .option('--campaigns <n>', 'campaigns to run at once', numberBetween(1, 1_000), 50)
    .option('--rows <n>', 'contacts per campaign', numberBetween(1, 1_000), 5)
    .option('--max-minutes <m>', 'hard bound on the whole run', numberBetween(1, 120), 15)
    .option('--seed <n>', 'seed of the simulator (faults and call outcomes)', numberBetween(0, 2 ** 31), 1)
    .option('--server-errors <rate>', 'share of requests answered 503', numberBetween(0, 1), 0.2)
    .option('--rate-limits <rate>', 'share of requests answered 429', numberBetween(0, 1), 0.05)
    .option(
      '--retry-after <s>',
      'Retry-After of each 429, in seconds, or a range each 429 draws from',
      secondsRange,
      // Longer than the first backoff of the cheap reads (2 s), so a retry that ignored it would show.
      { min: 1, max: 5 },
    )
    .option('--drops <rate>', 'share of connections cut unprocessed', numberBetween(0, 1), 0.02)
    .option(
      '--lost-responses <rate>',
      'share of requests processed but never answered',
      numberBetween(0, 1),
      0.01,
    )
    .parse()
    .opts<{
      campaigns: number;
      rows: number;
      maxMinutes: number;
      seed: number;
      serverErrors: number;
      rateLimits: number;
      retryAfter: { min: number; max: number };
      drops: number;
      lostResponses: number;
    }>();
  // The hard bound: whatever hangs (a server that never starts, a shutdown that never ends), the run ends here.
  const boundMs = options.maxMinutes * 60_000;
  setTimeout(() => {
    console.error(`The soak took longer than --max-minutes ${options.maxMinutes}: aborted`);
    process.exit(1);
  }, boundMs).unref();
  // Every injected fault is an activity failure the worker would log: the table below is the report.
  installQuietRuntime();
  const figures = await runSoak({
    campaigns: options.campaigns,
    rowsPerCampaign: options.rows,
    seed: options.seed,
    rates: {
      serverErrorRate: options.serverErrors,
      rateLimitRate: options.rateLimits,
      dropRate: options.drops,
      lostResponseRate: options.lostResponses,
    },
    retryAfterSeconds: options.retryAfter,
    // Campaigns still running by then are terminated and count as failed; the rest of the bound is for reading
    // the histories and shutting down.
    deadlineMs: boundMs - Math.min(60_000, boundMs / 10),
    log: (line) => console.log(line),
  });
  console.log(report(figures));
  for (const { workflowId, reason } of figures.failed) console.error(`FAILED ${workflowId}: ${reason}`);
  const clean =
    figures.failed.length === 0 &&
    figures.duplicates === 0 &&
    figures.campaignsWithoutExactlyOneCreate === 0 &&
    figures.resultRows === figures.csvRows;
  process.exitCode = clean ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
