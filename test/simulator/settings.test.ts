import { optionsFromEnv } from '../../simulator/env-options';
import { startSimulator } from '../../simulator/server';
import { resolveOptions } from '../../simulator/settings';

/** Options are validated with zod, with Bolna's documented behaviour as the defaults. */

test('the defaults are Bolna’s documented rules and forms', () => {
  const resolved = resolveOptions({});
  expect(resolved).toMatchObject({
    host: '127.0.0.1',
    port: 0,
    seed: 1,
    clockOffsetMs: 0,
    rules: { minLeadMs: 120_000, roundingMs: 600_000 },
    calls: {
      concurrency: 10,
      postProcessingMs: { min: 120_000, max: 180_000 },
      outcomes: { completed: 0.7, 'no-answer': 0.15, busy: 0.1, failed: 0.05 },
    },
    variants: {
      createStatus: 201,
      scheduleStatus: 200,
      scheduleStateForm: 'plain',
      statusField: 'status',
      statusNames: 'quickstart',
      executionsEnvelope: 'array',
      stopWhileScheduled: 'stops',
      stopEffect: 'ends-calls',
    },
    rateLimit: { requestsPerMinute: 1000, v2RequestsPerMinute: 500 },
    faults: { serverErrorRate: 0, dropRate: 0, lostResponseRate: 0, latencyMs: 0 },
  });
  expect(resolved.apiKey).toBeUndefined();
  expect(resolved.variants.unknownBatchStatus).toBeUndefined();
  expect(typeof resolved.clock.now()).toBe('number');
});

test('a fixed duration is a range of one value; a given outcome mix leaves the others at 0', () => {
  const { calls } = resolveOptions({ calls: { talkMs: 5_000, outcomes: { busy: 2 } } });
  expect(calls.talkMs).toEqual({ min: 5_000, max: 5_000 });
  expect(calls.outcomes).toEqual({ completed: 0, 'no-answer': 0, busy: 2, failed: 0 });
});

test('wrong options fail at start with a message naming them', async () => {
  await expect(startSimulator({ variants: { createStatus: 204 as 201 } })).rejects.toThrow(/createStatus/);
  await expect(startSimulator({ calls: { ringMs: { min: 5, max: 1 } } })).rejects.toThrow(
    /min must not exceed max/,
  );
  await expect(startSimulator({ calls: { outcomes: { completed: 0 } } })).rejects.toThrow(/outcome/);
  await expect(startSimulator({ rules: { roundingMs: 0 } })).rejects.toThrow(/roundingMs/);
  await expect(startSimulator({ faults: { dropRate: 2 } })).rejects.toThrow(/dropRate/);
  await expect(startSimulator({ rules: { minLeadMS: 1 } as never })).rejects.toThrow(/minLeadMS/);
  await expect(startSimulator({ clock: {} as never })).rejects.toThrow(/clock/);
  await expect(startSimulator({ clockOffsetMs: 0.5 })).rejects.toThrow(/clockOffsetMs/);
  await expect(startSimulator({ apiKey: 'bn key' })).rejects.toThrow(/apiKey/);
  await expect(startSimulator({ variants: { stopEffect: 'hangs-up' as never } })).rejects.toThrow(
    /stopEffect/,
  );
  await expect(startSimulator({ variants: { statusField: 'neither' as never } })).rejects.toThrow(
    /statusField/,
  );
});

describe('npm run simulator’s environment', () => {
  test('unset variables leave the defaults; port 8787', () => {
    expect(optionsFromEnv({})).toEqual({
      port: 8787,
      rules: {},
      calls: {},
      variants: {},
      webhooks: {},
      faults: {},
    });
  });

  test('rules and durations shrink through seconds-valued variables', () => {
    expect(
      optionsFromEnv({
        BOLNA_SIMULATOR_PORT: '0',
        BOLNA_SIMULATOR_HOST: '0.0.0.0',
        BOLNA_API_KEY: 'bn-local',
        BOLNA_SIMULATOR_SEED: '42',
        BOLNA_SIMULATOR_MIN_LEAD_SECONDS: '10',
        BOLNA_SIMULATOR_ROUNDING_SECONDS: '30',
        BOLNA_SIMULATOR_CONCURRENCY: '3',
        BOLNA_SIMULATOR_RING_SECONDS: '1.5',
        BOLNA_SIMULATOR_CALL_SECONDS: '5',
        BOLNA_SIMULATOR_POST_PROCESSING_SECONDS: '',
        BOLNA_SIMULATOR_SERVER_ERROR_RATE: '0.2',
        BOLNA_SIMULATOR_RATE_LIMIT_RATE: '0.05',
        BOLNA_SIMULATOR_DROP_RATE: '0.02',
        BOLNA_SIMULATOR_LOST_RESPONSE_RATE: '0.01',
        BOLNA_SIMULATOR_CLOCK_OFFSET_SECONDS: '-40.5',
        BOLNA_SIMULATOR_STOP_EFFECT: 'connected-calls-finish',
        BOLNA_SIMULATOR_STATUS_FIELD: 'none',
        BOLNA_SIMULATOR_UNKNOWN_BATCH_STATUS: 'paused',
        BOLNA_SIMULATOR_WEBHOOK_LOSS_RATE: '0.25',
        BOLNA_SIMULATOR_WEBHOOK_DELIVERY: 'twice',
      }),
    ).toEqual({
      port: 0,
      host: '0.0.0.0',
      apiKey: 'bn-local',
      seed: 42,
      clockOffsetMs: -40_500,
      rules: { minLeadMs: 10_000, roundingMs: 30_000 },
      calls: { concurrency: 3, ringMs: 1_500, talkMs: 5_000 },
      variants: { stopEffect: 'connected-calls-finish', statusField: 'none', unknownBatchStatus: 'paused' },
      webhooks: { lossRate: 0.25, delivery: 'twice' },
      faults: { serverErrorRate: 0.2, rateLimitRate: 0.05, dropRate: 0.02, lostResponseRate: 0.01 },
    });
  });

  test('a wrong value names the variable', () => {
    expect(() => optionsFromEnv({ BOLNA_SIMULATOR_PORT: 'eighty' })).toThrow(/BOLNA_SIMULATOR_PORT/);
    expect(() => optionsFromEnv({ BOLNA_SIMULATOR_ROUNDING_SECONDS: '0' })).toThrow(
      /BOLNA_SIMULATOR_ROUNDING_SECONDS/,
    );
    expect(() => optionsFromEnv({ BOLNA_SIMULATOR_CALL_SECONDS: '-1' })).toThrow(
      /BOLNA_SIMULATOR_CALL_SECONDS/,
    );
    expect(() => optionsFromEnv({ BOLNA_SIMULATOR_CONCURRENCY: '2.5' })).toThrow(
      /BOLNA_SIMULATOR_CONCURRENCY/,
    );
    expect(() => optionsFromEnv({ BOLNA_SIMULATOR_CLOCK_OFFSET_SECONDS: 'ahead' })).toThrow(
      /BOLNA_SIMULATOR_CLOCK_OFFSET_SECONDS/,
    );
    expect(() => optionsFromEnv({ BOLNA_SIMULATOR_STOP_EFFECT: 'hang-up' })).toThrow(
      /BOLNA_SIMULATOR_STOP_EFFECT/,
    );
    expect(() => optionsFromEnv({ BOLNA_SIMULATOR_STATUS_FIELD: 'neither' })).toThrow(
      /BOLNA_SIMULATOR_STATUS_FIELD/,
    );
    expect(() => optionsFromEnv({ BOLNA_SIMULATOR_UNKNOWN_BATCH_STATUS: 'completed' })).toThrow(
      /BOLNA_SIMULATOR_UNKNOWN_BATCH_STATUS/,
    );
  });
});
