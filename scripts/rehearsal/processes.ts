import { spawn } from 'node:child_process';
import { createWriteStream, rmSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { groupMembers, groupTree, signalGroup, signalProcess } from '../../test/support/process-group';
import { processUsage } from '../../test/support/process-usage';
import { waitFor } from '../../test/support/wait-for';

/**
 * Every process of the rehearsed stack, each in a process group of its own (so a signal reaches the children it
 * forks: PostgreSQL's backends, a shell's commands), its output in a log file of its own, its memory sampled. The
 * supervisor stops them all when the rehearsal ends, however it ends: normally, on Ctrl-C, or on an error.
 */

export interface ProcessSpec {
  /** Unique: names the log file and the row of the memory table (`worker-2`, `worker-2b` for its replacement). */
  label: string;
  /** What it is (`worker`, `temporal-server`): peaks are reported per role too. */
  role: string;
  command: string;
  args: string[];
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /** What stops it cleanly (Docker's STOPSIGNAL); default SIGTERM. */
  stopSignal?: NodeJS.Signals;
  /** Run as this user (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class StackProcess {
  readonly label: string;
  readonly role: string;
  readonly pid: number;
  readonly logFile: string;
  readonly stopSignal: NodeJS.Signals;
  readonly exited: Promise<ExitStatus>;
  #tail = '';
  #exit: ExitStatus | undefined;

  constructor(spec: ProcessSpec, logDir: string) {
    this.label = spec.label;
    this.role = spec.role;
    this.logFile = join(logDir, `${spec.label}.log`);
    this.stopSignal = spec.stopSignal ?? 'SIGTERM';
    const log: WriteStream = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(spec.uid === undefined ? {} : { uid: spec.uid }),
      ...(spec.gid === undefined ? {} : { gid: spec.gid }),
    });
    if (child.pid === undefined) throw new Error(`${spec.label} (${spec.command}) did not start`);
    this.pid = child.pid;
    const keep = (chunk: Buffer) => {
      log.write(chunk);
      // Enough to show why a process failed, bounded so a chatty one cannot eat the rehearsal's memory.
      this.#tail = (this.#tail + chunk.toString()).slice(-64 * 1024);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        keep(Buffer.from(`${error.message}\n`));
        this.#exit = { code: -1, signal: null };
        resolve(this.#exit);
      });
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        log.end();
        resolve(this.#exit);
      });
    });
  }

  output(): string {
    return this.#tail;
  }

  /** Whether any process of its group is alive (the one started may have exited and left children behind). */
  alive(): boolean {
    return groupMembers(this.pid).length > 0;
  }

  /** Resident memory of the whole group and its descendants now, in bytes (0 once gone). */
  rssBytes(): number {
    let total = 0;
    for (const pid of groupTree(this.pid)) {
      try {
        total += processUsage(pid).rssBytes;
      } catch {
        // Exited while we looked.
      }
    }
    return total;
  }

  /** Resolves once `ready` holds (a line it printed, a port that answers); rejects if it exits first. */
  async ready(what: string, ready: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
    const exitedFirst = this.exited.then((status) => {
      throw new Error(
        `${this.label} exited (${JSON.stringify(status)}) before it was ${what}; see ${this.logFile}:\n` +
          this.#tail.slice(-4_000),
      );
    });
    // Ends as soon as the process exits too (the race is lost to `exitedFirst` by then): no polling a dead process.
    const readyFirst = waitFor(
      `${this.label} to be ${what}`,
      async () => this.#exit !== undefined || ready(),
      {
        timeoutMs,
        intervalMs: 100,
      },
    ).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; see ${this.logFile}`);
    });
    await Promise.race([readyFirst, exitedFirst]);
  }

  /** Resolves once the process printed something matching `pattern`. */
  printed(pattern: RegExp, what: string, timeoutMs?: number): Promise<void> {
    return this.ready(what, () => pattern.test(this.#tail), timeoutMs);
  }

  /**
   * Its stop signal to the group, as `docker stop` sends it; SIGKILL to what is left after `graceMs` (Docker's
   * 10 s unless the service sets its `stop_grace_period`). Resolves once nothing of it is left.
   */
  async stop(graceMs = 10_000): Promise<void> {
    const signal = this.stopSignal;
    signalGroup(this.pid, signal);
    try {
      await this.#gone(graceMs);
    } catch {
      await this.kill();
    }
  }

  /** SIGKILL to the whole group, as when its machine dies; resolves once nothing of it is left. */
  async kill(): Promise<void> {
    signalGroup(this.pid, 'SIGKILL');
    await this.#gone(10_000);
  }

  async #gone(timeoutMs: number): Promise<void> {
    await waitFor(`every process of ${this.label} to exit`, () => !this.alive(), {
      timeoutMs,
      intervalMs: 50,
    });
  }
}

export interface MemoryPeak {
  label: string;
  role: string;
  peakRssBytes: number;
}

export class Supervisor {
  readonly #processes: StackProcess[] = [];
  readonly #peaks = new Map<string, MemoryPeak>();
  readonly #sampler: NodeJS.Timeout;
  readonly #foldersToRemove: string[] = [];

  constructor(readonly logDir: string) {
    // Each process tree's resident memory summed, once a second: the high-water mark of one process (VmHWM) would
    // miss PostgreSQL's backends (shared pages are counted in each process that maps them, so this errs high).
    this.#sampler = setInterval(() => this.sample(), 1_000);
    this.#sampler.unref();
  }

  start(spec: ProcessSpec): StackProcess {
    if (this.#processes.some((process) => process.label === spec.label)) {
      throw new Error(`a process named ${spec.label} already ran`);
    }
    const started = new StackProcess(spec, this.logDir);
    this.#processes.push(started);
    this.#peaks.set(spec.label, { label: spec.label, role: spec.role, peakRssBytes: 0 });
    return started;
  }

  sample(): void {
    for (const process of this.#processes) {
      const peak = this.#peaks.get(process.label)!;
      peak.peakRssBytes = Math.max(peak.peakRssBytes, process.rssBytes());
    }
  }

  /** How many processes were started so far. */
  get started(): number {
    return this.#processes.length;
  }

  peaks(): MemoryPeak[] {
    return [...this.#peaks.values()];
  }

  /** A folder to remove once every process has stopped (a database's), however the rehearsal ends. */
  removeAtEnd(folder: string): void {
    this.#foldersToRemove.push(folder);
  }

  /**
   * Stops every process still alive, role by role in the reverse order the roles first started (workers before the
   * server before its database, even when the database was restarted after the server), then removes the folders
   * given to `removeAtEnd`.
   */
  async stopAll(): Promise<void> {
    clearInterval(this.#sampler);
    const roles = [...new Set(this.#processes.map((process) => process.role))].reverse();
    for (const role of roles) {
      const living = this.#processes.filter((process) => process.role === role && process.alive());
      await Promise.all(living.map((process) => process.stop()));
    }
    for (const folder of this.#foldersToRemove.splice(0)) await rm(folder, { recursive: true, force: true });
  }

  /** SIGKILL to every group at once, and the folders removed, synchronously: for `process.on('exit')`. */
  killAllNow(): void {
    for (const process of this.#processes) {
      // Descendants in sessions of their own (PostgreSQL's backends) first, while their parents still name them.
      for (const pid of groupTree(process.pid)) signalProcess(pid, 'SIGKILL');
      signalGroup(process.pid, 'SIGKILL');
    }
    for (const folder of this.#foldersToRemove.splice(0)) rmSync(folder, { recursive: true, force: true });
  }
}
