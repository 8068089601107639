import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPorts } from '../../../scripts/rehearsal/ports';
import { Supervisor } from '../../../scripts/rehearsal/processes';
import { groupMembers, groupTree } from '../../support/process-group';
import { processUsage } from '../../support/process-usage';
import { waitFor } from '../../support/wait-for';

/**
 * The rehearsal's process supervision: nothing it started may outlive it, children of a started process included
 * (PostgreSQL's backends, a shell's commands), and each process's output lands in its log file.
 */

let logDir: string;

beforeEach(async () => {
  logDir = await mkdtemp(join(tmpdir(), 'supervisor-'));
});

afterEach(async () => {
  await rm(logDir, { recursive: true, force: true });
});

/** A shell that forks two children that would run for a minute, the way a server forks its workers. */
const forking = (label: string, role: string) => ({
  label,
  role,
  command: 'sh',
  args: ['-c', 'echo started; sleep 60 & sleep 60 & wait'],
  env: { PATH: process.env.PATH ?? '' },
});

test('stopAll stops every started process and the children it forked, then removes the folders it was given', async () => {
  const supervisor = new Supervisor(logDir);
  const server = supervisor.start(forking('server', 'server'));
  const worker = supervisor.start(forking('worker', 'worker'));
  await server.printed(/started/, 'started');
  await worker.printed(/started/, 'started');
  expect(groupMembers(server.pid).length).toBe(3);
  const scratch = await mkdtemp(join(tmpdir(), 'supervised-'));
  supervisor.removeAtEnd(scratch);

  await supervisor.stopAll();
  expect(groupMembers(server.pid)).toEqual([]);
  expect(groupMembers(worker.pid)).toEqual([]);
  expect(existsSync(scratch)).toBe(false);
  expect(await readFile(server.logFile, 'utf8')).toBe('started\n');
});

test('killAllNow kills every group at once, without waiting: what runs on the process’s exit', async () => {
  const supervisor = new Supervisor(logDir);
  const database = supervisor.start(forking('db', 'db'));
  await database.printed(/started/, 'started');
  supervisor.killAllNow();
  await database.exited;
  // SIGKILL is sent to all at once, but a loaded machine may run the leader's exit before its children's: each has
  // until long before its own 60 s sleep would end.
  await waitFor('the killed group to be gone', () => !database.alive(), {
    timeoutMs: 10_000,
    intervalMs: 20,
  });
});

test('a process that exits before it is ready fails the wait at once, with its output', async () => {
  const supervisor = new Supervisor(logDir);
  const failing = supervisor.start({
    label: 'broken',
    role: 'broken',
    command: 'sh',
    args: ['-c', 'echo "config is wrong" >&2; exit 3'],
    env: {},
  });
  const began = Date.now();
  await expect(failing.ready('serving', () => false, 60_000)).rejects.toThrow(/exited.*config is wrong/s);
  expect(Date.now() - began).toBeLessThan(5_000);
  await supervisor.stopAll();
});

test('a child in a session of its own (as PostgreSQL’s backends are) is measured and killed with its parent', async () => {
  const supervisor = new Supervisor(logDir);
  const parent = supervisor.start({
    label: 'postmaster',
    role: 'postmaster',
    command: 'sh',
    args: ['-c', 'setsid sleep 60 & echo started; wait'],
    env: { PATH: process.env.PATH ?? '' },
  });
  await parent.printed(/started/, 'started');
  const tree = await waitFor('the child to run', () => {
    const pids = groupTree(parent.pid);
    return pids.length === 2 ? pids : undefined;
  });
  const child = tree.find((pid) => pid !== parent.pid)!;
  expect(groupMembers(parent.pid)).toEqual([parent.pid]);
  expect(parent.rssBytes()).toBeGreaterThan(processUsage(parent.pid).rssBytes);
  supervisor.killAllNow();
  await waitFor(
    'the child to be gone',
    () => !groupTree(parent.pid).includes(child) && !existsSync(`/proc/${child}/cmdline`),
  );
});

test('ports for Temporal’s membership stay under 32768: the server keeps them in a PostgreSQL smallint', async () => {
  const ports = await freeLoopbackPorts(8, 32_768);
  expect(new Set(ports).size).toBe(8);
  for (const port of ports) expect(port).toBeLessThan(32_768);
});
