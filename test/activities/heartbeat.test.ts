import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { withHeartbeat } from '../../src/activities/heartbeat';

/**
 * A worker's death is only noticed through missing heartbeats, so every activity must beat while it runs. The clock
 * is jest's: a loaded machine delays real timers, and the beats counted are the ones due, not the ones that ran.
 */

const quiet = { logger: new DefaultLogger('ERROR', () => {}) };

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

/** Runs a step that takes `workMs` of jest's clock under `withHeartbeat`, then lets as long again go by. */
async function heartbeatsDuring(heartbeatTimeoutMs: number | undefined, workMs: number, fails = false) {
  const environment = new MockActivityEnvironment(
    heartbeatTimeoutMs === undefined ? {} : { heartbeatTimeoutMs },
    quiet,
  );
  let beats = 0;
  environment.on('heartbeat', () => (beats += 1));
  let finishWork: () => void = () => undefined;
  const work = new Promise<void>((resolve) => (finishWork = resolve));
  const slowStep = withHeartbeat(async (value: string) => {
    await work;
    if (fails) throw new Error('Bolna said no');
    return value.toUpperCase();
  });
  const running = environment.run(slowStep, 'done');
  await jest.advanceTimersByTimeAsync(workMs);
  finishWork();
  const outcome: { result?: unknown; error?: unknown } = await running.then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  const beatsAtEnd = beats;
  await jest.advanceTimersByTimeAsync(workMs);
  return { ...outcome, beats: beatsAtEnd, beatsLater: beats };
}

test('a slow activity beats three times per heartbeat timeout and stops beating when it returns', async () => {
  const { result, beats, beatsLater } = await heartbeatsDuring(300, 700);
  expect(result).toBe('DONE');
  expect(beats).toBe(7);
  expect(beatsLater).toBe(beats);
});

test('without a heartbeat timeout nothing is sent', async () => {
  const { result, beats } = await heartbeatsDuring(undefined, 200);
  expect(result).toBe('DONE');
  expect(beats).toBe(0);
});

test('an activity that throws stops beating too', async () => {
  const { error, beats, beatsLater } = await heartbeatsDuring(300, 450, true);
  expect(error).toEqual(new Error('Bolna said no'));
  expect(beats).toBe(4);
  expect(beatsLater).toBe(beats);
});
