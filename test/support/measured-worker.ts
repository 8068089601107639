import { resolve } from 'node:path';
import { processUsage } from './process-usage';
import type { ProcessUsage } from './process-usage';
import { spawnWorker } from './worker-process';
import type { WorkerProcess } from './worker-process';

const projectRoot = resolve(__dirname, '..', '..');

/** A benchmark's worker process, its memory sampled every second from `measure()` until `finish()`. */
export interface MeasuredWorker {
  readonly process: WorkerProcess;
  /** The worker's usage once ready, before any work. */
  readonly atReady: ProcessUsage;
  /** Starts sampling: from now until `finish()`, the work's peak RSS is kept. */
  measure(): void;
  /** Stops sampling and reads the worker's usage now (it keeps running until `process.stop()`). */
  finish(): { atEnd: ProcessUsage; peakRssWhileRunningBytes: number };
}

/**
 * Spawns `src/worker.ts` with `env` and waits until it is ready. Node runs the worker itself (tsx as a loader, not
 * as a parent process), so the pid whose /proc figures are read is the worker's.
 */
export async function startMeasuredWorker(env: NodeJS.ProcessEnv): Promise<MeasuredWorker> {
  const worker = spawnWorker('bench', env, {
    command: process.execPath,
    args: ['--import', 'tsx', 'src/worker.ts'],
    cwd: projectRoot,
  });
  try {
    await worker.ready();
  } catch (error) {
    await worker.stop();
    throw error;
  }
  const atReady = processUsage(worker.pid);
  let peakRssWhileRunningBytes = atReady.rssBytes;
  let sampler: NodeJS.Timeout | undefined;
  return {
    process: worker,
    atReady,
    measure: () => {
      sampler = setInterval(() => {
        try {
          peakRssWhileRunningBytes = Math.max(peakRssWhileRunningBytes, processUsage(worker.pid).rssBytes);
        } catch {
          // The worker died: the work it ran will say so.
        }
      }, 1_000);
    },
    finish: () => {
      clearInterval(sampler);
      const atEnd = processUsage(worker.pid);
      peakRssWhileRunningBytes = Math.max(peakRssWhileRunningBytes, atEnd.rssBytes);
      return { atEnd, peakRssWhileRunningBytes };
    },
  };
}
