import type { Worker } from '@temporalio/worker';

/**
 * The workers one process runs together, one per task queue (a Temporal worker polls a single queue): run, shut
 * down and waited for as one. If one of them fails, the others are shut down too, so a process never goes on with
 * a queue nobody serves.
 */
export class WorkerGroup {
  readonly #workers: readonly Worker[];

  constructor(workers: readonly Worker[]) {
    this.#workers = workers;
  }

  /** Runs every worker until all have shut down (`shutdown()` or SIGINT/SIGTERM); rejects if any failed. */
  async run(): Promise<void> {
    const outcomes = await Promise.allSettled(
      this.#workers.map((worker) =>
        worker.run().catch((error: unknown) => {
          this.shutdown();
          throw error;
        }),
      ),
    );
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** Runs the workers until `until` settles, then shuts them down; settles as `until` did. */
  async runUntil<R>(until: Promise<R> | (() => Promise<R>)): Promise<R> {
    const running = this.run();
    const stopped = running.then(() => {
      throw new Error('the workers stopped before the work they ran for was done');
    });
    // Once `until` has won the race, the workers' end is awaited below; this rejection has nobody else to tell.
    stopped.catch(() => undefined);
    try {
      return await Promise.race([typeof until === 'function' ? until() : until, stopped]);
    } finally {
      this.shutdown();
      await running;
    }
  }

  /** Starts a graceful shutdown of every worker still running (in-flight tasks finish). */
  shutdown(): void {
    for (const worker of this.#workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  }
}
