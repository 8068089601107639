import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { delimiter, resolve } from 'node:path';
import { fastRules, testCsvSources } from './constants';
import { groupMembers, signalGroup } from './process-group';
import { waitFor } from './wait-for';

/**
 * What the end-to-end tests share: worker processes that can really be killed, and reading the results files a
 * campaign wrote.
 */

/** The same rules as a worker process reads them from its environment. */
function rulesEnv(rules: typeof fastRules): Record<string, string> {
  return {
    BOLNA_SCHEDULE_LEAD_SECONDS: String(rules.minLeadMs / 1000),
    BOLNA_SCHEDULE_ROUNDING_SECONDS: String(rules.roundingMs / 1000),
  };
}

export interface WorkerEnvOptions {
  apiKey: string;
  bolnaBaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  resultsDir: string;
  rules?: typeof fastRules;
}

/** The environment of `npm run worker` pointed at the simulator and a test's Temporal server and task queue. */
export function workerEnv(options: WorkerEnvOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...rulesEnv(options.rules ?? fastRules),
    BOLNA_API_KEY: options.apiKey,
    BOLNA_BASE_URL: options.bolnaBaseUrl,
    BOLNA_RESULTS_DIR: options.resultsDir,
    BOLNA_CSV_DIRS: testCsvSources.allowedDirs.join(delimiter),
    BOLNA_CSV_ALLOWED_HOSTS: testCsvSources.allowedHosts.join(','),
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
  };
}

export interface WorkerProcess {
  readonly label: string;
  readonly pid: number;
  /** Everything the worker printed so far (stdout and stderr interleaved), to show when a test fails. */
  output(): string;
  /** Settles when the worker's process group leader exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Whether any process of the worker (tsx or the node process it runs the worker in) is still alive. */
  isAlive(): boolean;
  /** Resolves once the worker says it is polling its task queue; rejects if it exits first. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGKILL to every process of the worker, as when its machine dies; resolves once none is left. */
  kill(): Promise<void>;
  /** SIGTERM (a deploy): the worker finishes in-flight tasks and exits; SIGKILL if it has not after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const root = resolve(__dirname, '..', '..');
const tsxCli = resolve(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** How to start a worker: by default `npm run worker`'s `tsx src/worker.ts` in the project. */
export interface WorkerProgram {
  command: string;
  args: string[];
  cwd: string;
}

/**
 * Starts `src/worker.ts` as `npm run worker` does (or another `program`), in a process group of its own. The group
 * matters: the tsx CLI runs the worker in a child node process and cannot pass on a SIGKILL, so killing only the
 * process we spawned would leave the real worker running as an orphan, and a "killed" worker would go on finishing
 * the campaign.
 */
export function spawnWorker(
  label: string,
  env: NodeJS.ProcessEnv,
  program: WorkerProgram = { command: process.execPath, args: [tsxCli, 'src/worker.ts'], cwd: root },
): WorkerProcess {
  const child: ChildProcess = spawn(program.command, program.args, {
    cwd: program.cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`worker ${label} did not start`);
  let output = '';
  const keep = (chunk: Buffer) => {
    // Enough to see why a worker failed, bounded so a chatty worker cannot eat the test's memory.
    output = (output + chunk.toString()).slice(-64 * 1024);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );

  const isAlive = () => groupMembers(pid).length > 0;
  const untilGone = async (timeoutMs: number) => {
    await waitFor(`every process of worker ${label} to exit`, () => !isAlive(), {
      timeoutMs,
      intervalMs: 20,
    });
  };

  return {
    label,
    pid,
    output: () => output,
    exited,
    isAlive,
    ready: async (timeoutMs = 90_000) => {
      await waitFor(
        `worker ${label} to poll its task queue`,
        () => {
          if (child.exitCode !== null || child.signalCode !== null) {
            throw new Error(`worker ${label} exited before polling:\n${output}`);
          }
          return output.includes('Worker polling task queue');
        },
        { timeoutMs },
      );
    },
    kill: async () => {
      signalGroup(pid, 'SIGKILL');
      await untilGone(10_000);
    },
    stop: async (graceMs = 15_000) => {
      signalGroup(pid, 'SIGTERM');
      try {
        await untilGone(graceMs);
      } catch {
        signalGroup(pid, 'SIGKILL');
        await untilGone(10_000);
      }
    },
  };
}

/** The lines of a JSON Lines file, each parsed. */
export async function readJsonLines(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}
