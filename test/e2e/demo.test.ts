import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `npm run demo` with `args`, as a newcomer would run it: no Bolna key, no cluster, the embedded dev server. */
async function demo(...args: string[]): Promise<string> {
  const { stdout, stderr } = await runDemo(args);
  await expectOnlyItsOwnLines(`${stdout}\n${stderr}`);
  return stdout;
}

/**
 * The demo's output holds its own lines only: the worker's and the Temporal SDK's (the core's multi-line `No workflows
 * registered, not polling for workflow tasks` warnings among them) are in the log file it names, as JSON lines.
 */
async function expectOnlyItsOwnLines(output: string): Promise<void> {
  expect(output).not.toMatch(/No workflows registered/);
  expect(output).not.toMatch(/\[(WARN|INFO|DEBUG|TRACE)\]/);
  expect(output).not.toMatch(/"level":"(warn|info)"/);
  const named = /^Worker and Temporal SDK logs: (\S+\.log)$/m.exec(output);
  expect(named?.[1]).toMatch(/^\.data\/demo-logs\/worker-[\dTZ-]+\.log$/);
  const text = await readFile(resolve(__dirname, '..', '..', named![1]!), 'utf8');
  // Kept, not lost: the warnings the output no longer shows are in the file.
  expect(text).toMatch(/No workflows registered/);
  const lines = text.trimEnd().split('\n');
  const entries = lines.map(
    (line) => JSON.parse(line) as { level: string; message: string; sdkComponent?: string },
  );
  expect(entries).toContainEqual(
    expect.objectContaining({ message: 'Worker state changed', sdkComponent: 'worker' }),
  );
  expect(entries).toContainEqual(
    expect.objectContaining({ message: 'Initializing worker', sdkComponent: 'core' }),
  );
}

async function runDemo(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const env = { ...process.env };
  for (const name of ['BOLNA_API_KEY', 'TEMPORAL_ADDRESS', 'BOLNA_AGENT_ID', 'TEMPORAL_TASK_QUEUE'])
    delete env[name];
  return run('npm', ['run', '--silent', 'demo', ...(args.length ? ['--', ...args] : [])], {
    env,
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/**
 * The README's first command, run as a newcomer would (`npm run demo`): it must install what it needs, run a
 * campaign on the embedded dev server and the simulator, and print the results and where the Web UI is; the
 * worker's and SDK's logs go to a file it names (both tests check that, in `demo`).
 */
test('npm run demo completes a campaign and prints its results', async () => {
  const stdout = await demo();
  expect(stdout).toContain('Campaign completed');
  expect(stdout).toMatch(/calls\s*│\s*10/);
  expect(stdout).toMatch(/Web UI: http:\/\/localhost:\d+/);
}, 300_000);

/**
 * `npm run demo -- --outreach`: two waves, the second retrying exactly the contacts the first did not reach, and
 * every contact's result in a table whose calls agree with the waves printed above it.
 */
test('npm run demo -- --outreach runs two waves with a retry and prints every contact', async () => {
  const stdout = await demo('--outreach');
  const planned = [...stdout.matchAll(/^Wave (\d+): (\d+) contact\(s\)/gm)].map((m) => [m[1], Number(m[2])]);
  expect(planned.map(([wave]) => wave)).toEqual(['1', '2']);
  expect(planned[0]![1]).toBe(10);
  expect(stdout).toMatch(/^Outreach completed after 2 wave\(s\)/m);

  const rows = [...stdout.matchAll(/^│ (\d+)\s+│ (\+\d+)\s+│ (\w+)\s+│ (.+?)\s+│$/gm)].map((m) => ({
    state: m[3]!,
    calls: m[4]!.split(', '),
  }));
  expect(rows).toHaveLength(10);
  // Wave 2 called exactly those whose first call went unanswered or was busy, once more.
  const retried = rows.filter((row) => row.calls.length === 2);
  expect(retried.length).toBe(planned[1]![1]);
  for (const row of retried) expect(row.calls[0]).toMatch(/^1: (no-answer|busy)$/);
  for (const row of rows) {
    const last = row.calls.at(-1)!;
    expect(row.state).toBe(last.endsWith('completed') ? 'answered' : 'exhausted');
  }
  expect(rows.some((row) => row.calls.length === 1 && row.calls[0] === '1: completed')).toBe(true);
}, 300_000);
