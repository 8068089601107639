import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import type { ScheduleRules } from '../../src/bolna/schedule-time';
import { exitCodes } from '../../src/cli';
import { safeFileName } from '../../src/workflows/campaign-key';
import { outreachProgressQuery } from '../../src/workflows/outreach-definitions';
import type { OutreachProgress } from '../../src/workflows/outreach-definitions';
import { cliSession } from '../support/cli-session';
import type { CliSession } from '../support/cli-session';
import { testAgentId } from '../support/constants';
import { startDevStack } from '../support/dev-stack';
import type { DevStack } from '../support/dev-stack';
import { installQuietRuntime } from '../support/quiet-runtime';
import { waitFor } from '../support/wait-for';

/**
 * Operators' view of outreach campaigns through our CLI, on the real Temporal dev server with a worker running them
 * against the simulator: start with retries runs two waves, `status` shows waves and contacts while it runs, `pause`
 * stops the live wave and `resume` goes on, `stop` ends it with its files written, `watch`, `describe` and `results`
 * read the outreach's own shapes; and a Schedule's run calls the list of its own date. Bolna's rules are shrunk (a
 * 3-second lead, 5-second rounding) so that a wave starts seconds after it is planned.
 */

const taskQueue = 'e2e-outreach-cli';
const rules: ScheduleRules = { minLeadMs: 3_000, roundingMs: 5_000 };
/** Every call rings out unanswered after about two seconds, one at a time: waves are long enough to act on. */
const unansweredCalls = {
  concurrency: 1,
  spacingMs: 200,
  dialMs: 200,
  ringMs: 2_000,
  talkMs: 500,
  postProcessingMs: 200,
  outcomes: { 'no-answer': 1 },
};
/** What the CLI reads from its environment: the worker's task queue and rules (the limits follow them). */
const cliEnv = {
  TEMPORAL_TASK_QUEUE: taskQueue,
  BOLNA_SCHEDULE_LEAD_SECONDS: String(rules.minLeadMs / 1000),
  BOLNA_SCHEDULE_ROUNDING_SECONDS: String(rules.roundingMs / 1000),
};
const savedEnv: Record<string, string | undefined> = {};
/** Set by the server on a run a Schedule started: the time (and so the date) the run was meant for. */
const scheduledStartTime = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

let stack: DevStack;
let cli: CliSession;
let csvCount = 0;

beforeAll(async () => {
  installQuietRuntime();
  stack = await startDevStack({ name: 'outreach-cli', rules, simulator: { calls: unansweredCalls } });
  await stack.runWorker({ taskQueue });
  for (const [name, value] of Object.entries(cliEnv)) {
    savedEnv[name] = process.env[name];
    process.env[name] = value;
  }
}, 120_000);

afterAll(async () => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await stack?.close();
});

beforeEach(() => {
  cli = cliSession(stack.client);
});
afterEach(() => cli.restore());

/** A list of `rows` numbers no other test's list has (each test's calls are told apart by number). */
async function writeList(rows: number): Promise<{ csv: string; numbers: string[] }> {
  csvCount += 1;
  const numbers = Array.from(
    { length: rows },
    (_, i) => `+9198765${String(csvCount * 100 + i).padStart(5, '0')}`,
  );
  const csv = join(stack.workDir, `list-${csvCount}.csv`);
  await writeFile(
    csv,
    ['contact_number,first_name', ...numbers.map((n, i) => `${n},Person ${i}`), ''].join('\n'),
  );
  return { csv, numbers };
}

/** Runs `campaign <args>` and returns its exit code and what it printed (stdout), taken off the session. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const code = await cli.run(...args);
  return { code, out: cli.printed.splice(0).join('\n'), err: cli.errors.splice(0).join('\n') };
}

function outreachHandle(name: string): WorkflowHandle {
  return stack.client.workflow.getHandle(`outreach-${name}`);
}

function progressWhen(
  handle: WorkflowHandle,
  what: string,
  test: (progress: OutreachProgress) => boolean,
): Promise<OutreachProgress> {
  return waitFor(
    what,
    async () => {
      const progress = await handle.query(outreachProgressQuery);
      return test(progress) ? progress : undefined;
    },
    { timeoutMs: 90_000 },
  );
}

/** The simulator's batches of one outreach campaign's waves (their upload names start with the wave's ID, made safe). */
function wavesAtBolna(workflowId: string) {
  return stack.simulator.batches
    .list()
    .filter((batch) => batch.fileName.startsWith(safeFileName(`${workflowId}-wave-`)))
    .map((batch) => {
      const column = batch.columns.indexOf('contact_number');
      return { batch, numbers: batch.rows.map((row) => row[column] ?? '').sort() };
    });
}

/** Waits until the simulator has placed the first call of the campaign's first wave: the wave is live. */
function firstCallOf(handle: WorkflowHandle): Promise<true> {
  return waitFor(
    'the first call of the wave',
    async () => {
      const [wave] = wavesAtBolna(handle.workflowId);
      const placed = await stack.simulator.placedCalls();
      return wave !== undefined && placed.some((call) => call.batchId === wave.batch.batchId);
    },
    { timeoutMs: 60_000 },
  );
}

/** How many calls the simulator placed to each number of `numbers`. */
async function callsTo(numbers: readonly string[]): Promise<Map<string, number>> {
  const calls = new Map(numbers.map((number) => [number, 0]));
  for (const call of await stack.simulator.placedCalls()) {
    const count = calls.get(call.toNumber);
    if (count !== undefined) calls.set(call.toNumber, count + 1);
  }
  return calls;
}

/** The rows of a contacts.csv the campaign wrote, as objects by header. */
async function contactRows(path: string): Promise<Record<string, string>[]> {
  return parse<Record<string, string>>(await readFile(path, 'utf8'), { columns: true });
}

test('start with retries runs two waves to completion; status shows the waves and contacts as it goes', async () => {
  const name = `two-waves-${Date.now()}`;
  const { csv, numbers } = await writeList(3);
  const started = await run(
    ...['start', '--agent', testAgentId, '--csv', csv, '--name', name, '--poll-interval', '1'],
    ...['--retry', 'no-answer', '--max-attempts', '2', '--retry-after', '30 seconds'],
  );
  expect(started).toEqual({
    code: exitCodes.ok,
    out: `Started outreach campaign outreach-${name}, 3 contacts`,
    err: '',
  });
  const handle = outreachHandle(name);

  await progressWhen(handle, 'the first wave calling', (p) => p.phase === 'calling');
  const calling = await run('status', name);
  expect(calling.code).toBe(exitCodes.ok);
  expect(calling.out).toMatch(new RegExp(`^outreach-${name}: outreach, phase calling · 1 wave\\(s\\)`));
  expect(calling.out).toContain('contacts: pending 0 · in-wave 3 · retry-waiting 0 · answered 0');
  expect(calling.out).toMatch(/│ 1 +│ .*│ 3 +│ \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC │ .*│ running/);

  // Between the waves: wave 1 is recorded, everybody waits for a retry, and the next wave says when and why.
  const between = await progressWhen(handle, 'the wait for wave 2', (p) => p.phase === 'waiting');
  const waiting = await run('status', `outreach-${name}`);
  const firstBatch = between.waves[0]!.batchId!;
  expect(firstBatch).toMatch(/\S/);
  expect(waiting.out).toContain('contacts: pending 0 · in-wave 0 · retry-waiting 3 · answered 0');
  expect(waiting.out).toMatch(
    new RegExp(`│ 1 +│ ${firstBatch} │ 3 +│ .* │ no-answer 3 +│ 0\\.00 │ completed`),
  );
  expect(waiting.out).toContain('next wave: ');
  expect(waiting.out).toContain('(3 contacts due for a retry)');
  const json = await run('status', name, '--json');
  expect(JSON.parse(json.out)).toMatchObject({
    phase: 'waiting',
    wavesRun: 1,
    contacts: { 'retry-waiting': 3 },
    nextWave: { at: between.nextWave!.at, why: '3 contacts due for a retry' },
    waves: [
      { number: 1, batchId: firstBatch, contacts: 3, outcome: 'completed', counts: { 'no-answer': 3 } },
    ],
  });

  // `results` waits for the end, then points at the per-contact files and the report.
  const results = await run('results', name);
  expect(results.err).toBe('');
  expect(results.code).toBe(exitCodes.ok);
  expect(results.out).toMatch(/^Outreach campaign completed/);
  const result = (await handle.result()) as { files: Record<string, string>; waves: number };
  expect(result.waves).toBe(2);
  for (const file of ['contactsCsv', 'contactsJsonl', 'reportHtml', 'reportJson']) {
    expect(results.out).toContain(result.files[file]);
  }
  expect(results.out).toMatch(/│ exhausted +│ 3 +│/);
  const rows = await contactRows(result.files.contactsCsv!);
  expect(rows.map((row) => [row.contact_number, row.state, row.attempts]).sort()).toEqual(
    numbers.map((number) => [number, 'exhausted', '2']),
  );

  // Two waves at Bolna, each calling all three (nobody answered), and no third call: maxAttempts is 2.
  const waves = wavesAtBolna(`outreach-${name}`);
  expect(waves.map((wave) => wave.numbers)).toEqual([numbers, numbers]);
  expect([...(await callsTo(numbers)).values()]).toEqual([2, 2, 2]);

  // `report` finds the report over every wave, as for a batch campaign.
  const report = await run('report', name);
  expect(report.code).toBe(exitCodes.ok);
  expect(report.out).toContain(`Report: ${result.files.reportHtml}`);
  expect(report.out).toMatch(/\n6 calls: /);

  const described = await run('describe', name);
  expect(described.out).toMatch(/│ kind +│ outreach/);
  expect(described.out).toMatch(/│ outcome +│ completed/);
  expect(described.out).toMatch(/│ waves +│ 2 /);
  expect(described.out).toContain(result.files.contactsCsv);
  expect(JSON.parse((await run('describe', name, '--json')).out)).toMatchObject({
    workflowId: `outreach-${name}`,
    workflowType: 'outreachCampaign',
    status: 'COMPLETED',
    ending: { how: 'returned', outcome: 'completed', result: { waves: 2 } },
  });

  // Findable as operators find batch campaigns: by its name and phase (search attributes), its waves apart.
  const found: string[] = [];
  for await (const workflow of stack.client.workflow.list({
    query: `CampaignName = '${name}' AND CampaignPhase = 'completed' AND BolnaAgentId = '${testAgentId}'`,
  })) {
    found.push(workflow.workflowId);
  }
  expect(found).toEqual([`outreach-${name}`]);
}, 180_000);

test('pause stops the live wave (contacts not called go back to pending), resume goes on, watch follows to the end', async () => {
  const name = `paused-${Date.now()}`;
  const { csv, numbers } = await writeList(8);
  const args = ['--agent', testAgentId, '--csv', csv, '--name', name, '--poll-interval', '1'];
  expect((await run('start', ...args, '--budget', '100000')).code).toBe(exitCodes.ok);
  const handle = outreachHandle(name);
  await firstCallOf(handle);

  const paused = await run('pause', name, '--reason', 'the offer changed');
  expect(paused.code).toBe(exitCodes.ok);
  expect(paused.out).toMatch(new RegExp(`^Pause sent to outreach campaign outreach-${name}: it is paused`));
  const held = await progressWhen(handle, 'the paused phase', (p) => p.phase === 'paused');
  const called = [...(await callsTo(numbers)).values()].filter((calls) => calls > 0).length;
  expect(held.contacts.pending).toBe(8 - called);
  expect(held.contacts.pending).toBeGreaterThan(0);
  expect(held.contacts.exhausted).toBe(called);
  expect(held.contacts['in-wave']).toBe(0);
  expect(wavesAtBolna(handle.workflowId)[0]!.batch.stopped).toBeDefined();
  const status = await run('status', name);
  expect(status.out).toMatch(/phase paused/);
  expect(status.out).toContain(
    `contacts: pending ${8 - called} · in-wave 0 · retry-waiting 0 · answered 0 · exhausted ${called}`,
  );
  expect(status.out).toMatch(/│ 1 +│ .*│ stopped: paused: the offer changed/);
  expect(status.out).toContain('paused: the offer changed (resume goes on)');

  const resumed = await run('resume', name);
  expect(resumed.out).toMatch(
    new RegExp(`^Resume sent to outreach campaign outreach-${name}: it is not paused`),
  );
  const watched: string[] = [];
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    watched.push(String(chunk));
    return true;
  });
  let watch;
  try {
    watch = await run('watch', name);
  } finally {
    stderr.mockRestore();
  }
  expect(watch.code).toBe(exitCodes.ok);
  expect(watch.out).toMatch(/^Outreach campaign completed/);
  expect(watched.join('')).toMatch(/phase calling · contacts .*in-wave \d+.* · wave 2: \d+ contacts from /);
  expect(watched.at(-1)).toMatch(
    /^phase completed · contacts exhausted 8 · wave 2: .*, completed · spend 0\.00\n$/,
  );

  // Everybody called exactly once: the pause neither lost anyone nor called anyone twice.
  expect([...(await callsTo(numbers)).values()]).toEqual(numbers.map(() => 1));
  const waves = wavesAtBolna(handle.workflowId);
  expect(waves.map((wave) => wave.numbers.length)).toEqual([8, 8 - called]);
}, 120_000);

test('stop ends a live outreach campaign: outcome stopped (exit 5), its files written', async () => {
  const name = `stopped-${Date.now()}`;
  const { csv, numbers } = await writeList(6);
  const args = ['--agent', testAgentId, '--csv', csv, '--name', name, '--poll-interval', '1'];
  expect((await run('start', ...args, '--retry', 'no-answer', '--retry-after', '1h')).code).toBe(
    exitCodes.ok,
  );
  const handle = outreachHandle(name);
  await firstCallOf(handle);

  const stop = await run('stop', name, '--reason', 'wrong list');
  expect(stop.out).toBe(
    `Stop sent to outreach campaign outreach-${name}: it stops its running wave, starts no other, and collects the calls made so far`,
  );
  const results = await run('results', name);
  expect(results.code).toBe(exitCodes.stopped);
  expect(results.out).toMatch(/^Outreach campaign stopped \(wrong list\)/);
  const result = (await handle.result()) as { outcome: string; files: Record<string, string> };
  expect(result.outcome).toBe('stopped');
  expect(results.out).toContain(result.files.contactsCsv);
  const rows = await contactRows(result.files.contactsCsv!);
  expect(rows.map((row) => row.contact_number).sort()).toEqual(numbers);
  // Nobody is left in a wave; no retry wave was started after the stop.
  expect(rows.filter((row) => row.state === 'in-wave')).toEqual([]);
  expect(wavesAtBolna(handle.workflowId)).toHaveLength(1);
  const status = (await run('status', name)).out;
  expect(status).toMatch(new RegExp(`^outreach-${name}: outreach, phase stopped · 1 wave`));
  expect(status).toContain('stop: wrong list');
}, 90_000);

test("a Schedule's run of an outreach campaign calls the list of its own date, in the schedule's zone", async () => {
  const name = `daily-${Date.now()}`;
  // A zone whose date is not UTC's right now (UTC+14 from 10:00 UTC, UTC-12 before 12:00 UTC), so a run that read
  // its date in UTC, not in the schedule's zone, would call another day's list.
  const zone = new Date().getUTCHours() >= 11 ? 'Pacific/Kiritimati' : 'Etc/GMT+12';
  const folder = join(stack.workDir, `leads-${name}`);
  await mkdir(folder);
  const today = DateTime.now().setZone(zone);
  const lists = new Map<string, string[]>();
  for (const day of [today.minus({ days: 1 }), today, today.plus({ days: 1 })]) {
    const { csv, numbers } = await writeList(2);
    await writeFile(join(folder, `${day.toISODate()}.csv`), await readFile(csv));
    lists.set(day.toISODate()!, numbers);
  }
  const scheduled = await run(
    ...['schedule', '--agent', testAgentId, '--csv', join(folder, '{date}.csv'), '--name', name],
    ...['--cron', '0 3 1 1 *', '--timezone', zone, '--budget', '100000', '--poll-interval', '1'],
  );
  expect(scheduled.err).toBe('');
  expect(scheduled.code).toBe(exitCodes.ok);
  const schedule = stack.client.schedule.getHandle(`outreach-${name}`);
  try {
    await stack.temporal('schedule', 'trigger', '--schedule-id', `outreach-${name}`);
    const runId = await waitFor('the triggered run', async () => {
      const [action] = (await schedule.describe()).info.recentActions;
      return action?.action.workflow.workflowId;
    });
    const runHandle = stack.client.workflow.getHandle(runId);
    const result = (await runHandle.result()) as { outcome: string; waves: number };
    expect(result).toMatchObject({ outcome: 'completed', waves: 1 });
    const { typedSearchAttributes, startTime } = await runHandle.describe();
    const scheduledAt = typedSearchAttributes.get(scheduledStartTime) ?? startTime;
    const runDate = DateTime.fromJSDate(scheduledAt).setZone(zone).toISODate()!;
    expect(lists.has(runDate)).toBe(true);
    expect(runDate).not.toBe(scheduledAt.toISOString().slice(0, 10));
    expect(wavesAtBolna(runId).map((wave) => wave.numbers)).toEqual([lists.get(runDate)]);
    const status = await run('status', runId);
    expect(status.out).toMatch(new RegExp(`^${runId}: outreach, phase completed · 1 wave`));
  } finally {
    await schedule.delete();
  }
}, 90_000);
