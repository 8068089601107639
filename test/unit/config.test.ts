import { ConfigError, loadConfig, requireApiKey } from '../../src/config';

test('defaults are Bolna production and its documented rules', () => {
  const config = loadConfig({});
  expect(config.bolna).toEqual({
    apiKey: undefined,
    baseUrl: 'https://api.bolna.ai',
    rules: { minLeadMs: 120_000, roundingMs: 600_000 },
  });
  expect(config.taskQueue).toBe('bolna-batches');
  expect(config.resultsDir).toBe('results');
});

test('empty variables mean the default', () => {
  expect(loadConfig({ BOLNA_BASE_URL: '', TEMPORAL_TASK_QUEUE: ' ' }).taskQueue).toBe('bolna-batches');
});

test('a wrong value fails with a message naming the variable', () => {
  expect(() => loadConfig({ BOLNA_SCHEDULE_LEAD_SECONDS: 'two minutes' })).toThrow(
    /BOLNA_SCHEDULE_LEAD_SECONDS/,
  );
  expect(() => loadConfig({ BOLNA_BASE_URL: 'ftp://example.com' })).toThrow(/BOLNA_BASE_URL/);
});

test('the worker refuses to start without a key, by name, and never prints one', () => {
  expect(() => requireApiKey(loadConfig({}))).toThrow(ConfigError);
  expect(() => requireApiKey(loadConfig({}))).toThrow(/BOLNA_API_KEY/);
  expect(requireApiKey(loadConfig({ BOLNA_API_KEY: 'bn-abc' }))).toBe('bn-abc');
});
