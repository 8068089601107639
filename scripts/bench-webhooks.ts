/**
 * `npm run bench:webhooks`: the same campaign polling and pushed (the webhook receiver signalling it), one after
 * the other on the dev server with the simulator, printed side by side: how long after the last call each saw the
 * batch finish, its polls, its Bolna requests by kind, and wall time. Options: `--rows`, `--poll-seconds` (the
 * polling campaign's interval, given to both).
 */
import Table from 'cli-table3';
import { Command } from 'commander';
import { installQuietRuntime } from '../test/support/quiet-runtime';
import { startWebhookBench } from '../test/support/webhook-bench';
import type { MeasuredCampaign } from '../test/support/webhook-bench';
import { wholeNumberBetween } from './number-options';

function report(runs: MeasuredCampaign[]): string {
  const table = new Table({ head: ['', ...runs.map((run) => run.mode)], style: { head: [], border: [] } });
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const kinds = [...new Set(runs.flatMap((run) => Object.keys(run.requests)))].sort();
  const total = (run: MeasuredCampaign) => Object.values(run.requests).reduce((a, b) => a + b, 0);
  table.push(
    ['outcome', ...runs.map((run) => `${run.result.outcome}, ${run.result.totalCalls ?? 0} calls`)],
    ['completion seen after the last call', ...runs.map((run) => seconds(run.detectionDelayMs))],
    ['polls (getBatch activities)', ...runs.map((run) => run.polls)],
    ...kinds.map((kind) => [`Bolna requests: ${kind}`, ...runs.map((run) => run.requests[kind] ?? 0)]),
    ['Bolna requests: total', ...runs.map(total)],
    ['wall time', ...runs.map((run) => seconds(run.wallMs))],
  );
  return table.toString();
}

async function main(): Promise<void> {
  const options = new Command('bench:webhooks')
    .option('--rows <n>', 'contacts in the campaign', wholeNumberBetween(1, 1_000), 12)
    .option('--poll-seconds <s>', 'poll interval of the polling campaign', wholeNumberBetween(1, 3_600), 10)
    .parse()
    .opts<{ rows: number; pollSeconds: number }>();
  installQuietRuntime();
  const bench = await startWebhookBench({
    name: 'bench-webhooks',
    rows: options.rows,
    simulator: {
      calls: { concurrency: 3, ringMs: 1_000, talkMs: { min: 5_000, max: 15_000 }, postProcessingMs: 3_000 },
    },
  });
  try {
    const input = { pollIntervalSeconds: options.pollSeconds };
    const runs = [await bench.run('polling', input), await bench.run('pushed', input)];
    console.log(
      `${options.rows} contacts, 3 lines, 5–15 s calls; polling every ${options.pollSeconds} s, ` +
        'pushed: webhooks with a 5-minute safety-net poll',
    );
    console.log(report(runs));
  } finally {
    await bench.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
