/**
 * `npm run rehearsal`: the production stack of docker-compose.yml, run for real on this machine without Docker, and
 * a day of campaigns on it through the faults production sees. It builds (once, cached in `.cache/temporal-stack/`)
 * Temporal's server, temporal-sql-tool and Web UI server from their Go modules at the versions the compose file pins,
 * starts a private PostgreSQL cluster, runs the compose file's own schema and setup scripts (deploy/), then the
 * Bolna simulator, an S3-compatible store, the webhook receiver, the codec server and worker processes that share no
 * folder. It prints a table of what it found and exits 1 if any check failed. Logs: `.data/rehearsal/<time>/logs/`.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import Table from 'cli-table3';
import { Command } from 'commander';
import type { LoggedRequest } from '../simulator/server';
import { fastRules } from '../test/support/constants';
import { wholeNumberBetween } from './number-options';
import { checkDay } from './rehearsal/checks';
import type { DayChecks } from './rehearsal/checks';
import { runDay } from './rehearsal/day';
import type { DayRecord } from './rehearsal/day';
import { Supervisor } from './rehearsal/processes';
import type { MemoryPeak } from './rehearsal/processes';
import { startStack } from './rehearsal/stack';
import type { Stack } from './rehearsal/stack';

interface Options {
  campaigns: number;
  workers: number;
  rows: number;
  outreachContacts: number;
  maxMinutes: number;
  seed: number;
  uiPort: number;
  postgresBin?: string;
  keepRunning: boolean;
}

/** Calls of a few seconds, four at a time, one in four unanswered (those an outreach campaign calls again). */
const calls = {
  concurrency: 4,
  spacingMs: 100,
  dialMs: { min: 100, max: 300 },
  ringMs: { min: 300, max: 1_000 },
  talkMs: { min: 1_000, max: 3_000 },
  postProcessingMs: { min: 500, max: 1_500 },
  outcomes: { completed: 3, 'no-answer': 1 },
};

/** Bolna's failures at a soak's rates: 5xx, 429 with Retry-After, connections cut, answers lost after the fact. */
const faults = {
  serverErrorRate: 0.1,
  rateLimitRate: 0.03,
  dropRate: 0.01,
  lostResponseRate: 0.01,
  retryAfterSeconds: { min: 1, max: 3 },
};

function peakPerMinute(requests: readonly LoggedRequest[]): number {
  let peak = 0;
  let first = 0;
  for (let last = 0; last < requests.length; last += 1) {
    while (requests[last]!.at - requests[first]!.at >= 60_000) first += 1;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

/** One row per role: a worker replaced by the deploy is the same role, so its largest process is the figure. */
function peaksByRole(peaks: MemoryPeak[]): { role: string; count: number; peakRssBytes: number }[] {
  const roles = new Map<string, { role: string; count: number; peakRssBytes: number }>();
  for (const { role, peakRssBytes } of peaks) {
    const entry = roles.get(role) ?? { role, count: 0, peakRssBytes: 0 };
    roles.set(role, {
      role,
      count: entry.count + 1,
      peakRssBytes: Math.max(entry.peakRssBytes, peakRssBytes),
    });
  }
  return [...roles.values()];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

function report(day: DayRecord, checks: DayChecks, stack: Stack, peaks: MemoryPeak[]): string {
  const table = new Table({
    head: ['figure', 'value'],
    colWidths: [58, 62],
    wordWrap: true,
    style: { head: [], border: [] },
  });
  const requests = stack.simulator.requests;
  const injected: Record<string, number> = {};
  for (const request of requests)
    if (request.fault) injected[request.fault] = (injected[request.fault] ?? 0) + 1;
  const started = day.batchCampaigns.length + day.outreach.length;
  table.push(
    [
      'campaigns (batch + scheduled runs + outreach)',
      `${day.batchCampaigns.filter((c) => !c.scheduled).length} + ${day.batchCampaigns.filter((c) => c.scheduled).length} + ${day.outreach.length}`,
    ],
    ['  completed', checks.completed],
    ['  failed', `${checks.failed.length} of ${started}`],
    ['duplicate batches', checks.duplicateBatches],
    ['campaigns or waves with no batch', checks.campaignsWithoutBatch],
    ['missing results (calls made, result not stored)', checks.missingResults],
    ['results stored twice', checks.resultsStoredTwice],
    ['reports missing', checks.missingReports],
    ['outreach: numbers called twice in one wave', checks.calledTwiceInAWave],
    ['outreach: do-not-call numbers uploaded or called', checks.suppressedCalled],
    ['outreach: calls outside the calling window', checks.callsOutsideWindow],
    ['outreach: ledger entries not matching Bolna’s calls', checks.ledgerMismatches],
    ['SQL visibility searches (CampaignPhase, BolnaAgentId) wrong', checks.searchMismatches.length],
    ["operators' views wrong (Web UI API, codec server, CLI)", checks.operatorViewsWrong.length],
    ['secrets found in logs', checks.secretsInLogs.length],
    ...day.faults.map((fault): [string, string] => [
      `fault: ${fault.fault}`,
      `took ${seconds(fault.tookMs)}, recovered after ${seconds(fault.recoveredAfterMs)} (${fault.note})`,
    ]),
    ['Bolna requests', requests.length],
    ['  peak per minute', peakPerMinute(requests)],
    ['  answered 429', requests.filter((request) => request.status === 429).length],
    [
      '  faults injected',
      Object.entries(injected)
        .sort()
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', '),
    ],
    ['backend calls retried during faults', day.clientRetries],
    ...peaksByRole(peaks).map(({ role, count, peakRssBytes }): [string, string] => [
      `peak RSS: ${role}${count > 1 ? ` (largest of ${count})` : ''}`,
      megabytes(peakRssBytes),
    ]),
    ['wall time of the day', seconds(day.wallTimeMs)],
  );
  return table.toString();
}

function failedChecks(checks: DayChecks): string[] {
  const problems = [
    ...checks.failed.map(({ workflowId, reason }) => `FAILED ${workflowId}: ${reason}`),
    ...checks.searchMismatches.map((search) => `SEARCH ${search}`),
    ...checks.operatorViewsWrong.map((view) => `VIEW ${view}`),
    ...checks.secretsInLogs.map((found) => `SECRET ${found}`),
  ];
  const counts: [string, number][] = [
    ['duplicate batches', checks.duplicateBatches],
    ['campaigns or waves with no batch', checks.campaignsWithoutBatch],
    ['missing results', checks.missingResults],
    ['results stored twice', checks.resultsStoredTwice],
    ['reports missing', checks.missingReports],
    ['numbers called twice in one wave', checks.calledTwiceInAWave],
    ['do-not-call numbers uploaded or called', checks.suppressedCalled],
    ['calls outside the window', checks.callsOutsideWindow],
    ['ledger mismatches', checks.ledgerMismatches],
  ];
  for (const [what, count] of counts) if (count > 0) problems.push(`CHECK ${what}: ${count}`);
  return problems;
}

async function main(): Promise<void> {
  // The AWS SDK's notice that its 2027 releases need Node.js 22 says nothing about the rehearsal (the workers,
  // which hold their own environment, still log it).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const options = new Command('rehearsal')
    .description(
      'run the production stack here (Temporal on PostgreSQL, several workers, S3) through a day of faults',
    )
    .option('--campaigns <n>', 'batch campaigns over the day', wholeNumberBetween(1, 1_000), 100)
    .option('--workers <n>', 'worker processes, each in a folder of its own', wholeNumberBetween(1, 10), 3)
    .option('--rows <n>', 'contacts per batch campaign', wholeNumberBetween(1, 1_000), 10)
    .option(
      '--outreach-contacts <n>',
      'contacts of each of the two outreach campaigns',
      wholeNumberBetween(10, 1_000),
      40,
    )
    .option(
      '--max-minutes <m>',
      'hard bound on the whole run, builds included',
      wholeNumberBetween(5, 240),
      60,
    )
    .option(
      '--seed <n>',
      'seed of the simulator (its faults and call outcomes)',
      wholeNumberBetween(0, 2 ** 31),
      1,
    )
    .option(
      '--ui-port <port>',
      'port of the Web UI, as docker-compose.yml publishes it',
      wholeNumberBetween(1, 65_535),
      8080,
    )
    .option('--postgres-bin <dir>', 'folder of PostgreSQL’s initdb and postgres (default: found by version)')
    .option('--keep-running', 'leave the stack up after the table (Web UI, codec server) until Ctrl-C', false)
    .parse()
    .opts<Options>();

  const runFolder = resolve(
    __dirname,
    '..',
    '.data',
    'rehearsal',
    new Date().toISOString().replace(/[:.]/g, '-'),
  );
  const logDir = join(runFolder, 'logs');
  await mkdir(logDir, { recursive: true });
  const supervisor = new Supervisor(logDir);
  const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  let stack: Stack | undefined;
  let stopping = false;
  let firstSignalAt = 0;
  const shutDown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await stack?.close().catch(() => undefined);
    await supervisor.stopAll();
    process.exit(code);
  };
  // Nothing may outlive the rehearsal: Ctrl-C stops the stack in order; a second Ctrl-C, or an exit by any other
  // path, kills what is left at once. The same Ctrl-C arrives twice (from the terminal, and passed on by tsx), so
  // only one a moment later counts as the second.
  process.on('exit', () => supervisor.killAllNow());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        if (Date.now() - firstSignalAt < 1_000) return;
        supervisor.killAllNow();
        process.exit(130);
      }
      firstSignalAt = Date.now();
      console.error(`\n${signal}: stopping every process of the stack ...`);
      void shutDown(130);
    });
  }
  setTimeout(() => {
    console.error(`The rehearsal took longer than --max-minutes ${options.maxMinutes}: aborted`);
    void shutDown(1);
  }, options.maxMinutes * 60_000).unref();

  try {
    log(`Logs of every process: ${logDir}`);
    stack = await startStack({
      workers: options.workers,
      uiPort: options.uiPort,
      ...(options.postgresBin ? { postgresBin: options.postgresBin } : {}),
      rules: fastRules,
      simulator: { seed: options.seed, calls, faults, webhooks: { retryDelayMs: 500 } },
      supervisor,
      folder: runFolder,
      log,
    });
    const day = await runDay(stack, {
      campaigns: options.campaigns,
      rowsPerCampaign: options.rows,
      outreachContacts: options.outreachContacts,
      rules: fastRules,
      // What is left of the bound after the day is for the checks and shutting down.
      deadline: Date.now() + options.maxMinutes * 60_000 - 5 * 60_000,
      log,
    });
    supervisor.sample();
    const checks = await checkDay(stack, day, logDir);
    console.log(report(day, checks, stack, supervisor.peaks()));
    const problems = failedChecks(checks);
    for (const problem of problems) console.error(problem);
    console.log(problems.length === 0 ? 'Every check passed.' : `${problems.length} checks failed.`);
    if (options.keepRunning) {
      console.log(
        `The stack stays up: Web UI ${stack.webUiUrl} (its codec server ${stack.codecUrl}), Temporal ` +
          `${stack.temporal.address}. Ctrl-C stops it.`,
      );
      await new Promise(() => undefined);
    }
    await shutDown(problems.length === 0 ? 0 : 1);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    if (supervisor.started > 0) console.error(`Logs: ${logDir}`);
    await shutDown(1);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
