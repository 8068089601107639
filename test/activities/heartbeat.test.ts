import { setTimeout as delay } from 'node:timers/promises';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { withHeartbeat } from '../../src/activities/heartbeat';

/** A worker's death is only noticed through missing heartbeats, so every activity must beat while it runs. */

const quiet = { logger: new DefaultLogger('ERROR', () => {}) };

async function heartbeatsDuring(heartbeatTimeoutMs: number | undefined, workMs: number) {
  const environment = new MockActivityEnvironment(
    heartbeatTimeoutMs === undefined ? {} : { heartbeatTimeoutMs },
    quiet,
  );
  let beats = 0;
  environment.on('heartbeat', () => (beats += 1));
  const slowStep = withHeartbeat(async (value: string) => {
    await delay(workMs);
    return value.toUpperCase();
  });
  const result = await environment.run(slowStep, 'done');
  const beatsAtReturn = beats;
  await delay(workMs);
  return { result, beats: beatsAtReturn, beatsLater: beats };
}

test('a slow activity beats several times per heartbeat timeout and stops beating when it returns', async () => {
  const { result, beats, beatsLater } = await heartbeatsDuring(300, 700);
  expect(result).toBe('DONE');
  expect(beats).toBeGreaterThanOrEqual(5);
  expect(beatsLater).toBe(beats);
});

test('without a heartbeat timeout nothing is sent', async () => {
  const { result, beats } = await heartbeatsDuring(undefined, 200);
  expect(result).toBe('DONE');
  expect(beats).toBe(0);
});

test('an activity that throws stops beating too', async () => {
  const environment = new MockActivityEnvironment({ heartbeatTimeoutMs: 300 }, quiet);
  let beats = 0;
  environment.on('heartbeat', () => (beats += 1));
  const failing = withHeartbeat(async () => {
    await delay(450);
    throw new Error('Bolna said no');
  });
  await expect(environment.run(failing)).rejects.toThrow('Bolna said no');
  const beatsAtFailure = beats;
  expect(beatsAtFailure).toBeGreaterThanOrEqual(2);
  await delay(300);
  expect(beats).toBe(beatsAtFailure);
});
