import { delimiter, resolve } from 'node:path';
import { loadConfig, requireApiKey, workerSecrets } from '../src/config';
import { ConfigError } from '../src/platform/config-error';

test('defaults are Bolna production and its documented rules', () => {
  const config = loadConfig({});
  expect(config.bolna).toEqual({
    apiKey: undefined,
    baseUrl: 'https://api.bolna.ai',
    rules: { minLeadMs: 120_000, roundingMs: 600_000 },
    requestsPerMinute: 900,
  });
  expect(config.taskQueue).toBe('bolna-batches');
  expect(config.resultsDir).toBe('results');
  expect(config.metricsAddress).toBeUndefined();
});

test('CSV sources: by default the working directory, public hosts only, 1 GiB within 10 minutes', () => {
  expect(loadConfig({}).csvSources).toEqual({
    allowedDirs: [process.cwd()],
    allowedHosts: [],
    maxBytes: 1024 ** 3,
    downloadTimeoutMs: 600_000,
  });
});

test('CSV sources: folders like PATH (relative ones in the working directory), hosts, ranges and bounds', () => {
  const config = loadConfig({
    BOLNA_CSV_DIRS: ['/srv/lists', 'uploads', ''].join(delimiter),
    BOLNA_CSV_ALLOWED_HOSTS: 'files.corp.example, 10.20.0.0/16 ,192.168.1.5,[fd12::1],fd00:1::/32',
    BOLNA_CSV_MAX_BYTES: '5000000',
    BOLNA_CSV_DOWNLOAD_TIMEOUT_SECONDS: '30',
  });
  expect(config.csvSources).toEqual({
    allowedDirs: ['/srv/lists', resolve('uploads')],
    allowedHosts: ['files.corp.example', '10.20.0.0/16', '192.168.1.5', '[fd12::1]', 'fd00:1::/32'],
    maxBytes: 5_000_000,
    downloadTimeoutMs: 30_000,
  });
});

test.each(['127.0.0.1:9464', '0.0.0.0:9464', '[::]:9464', '[::1]:65535', ' 10.0.0.5:80 '])(
  'BOLNA_METRICS_ADDRESS=%s is where the worker serves its metrics',
  (address) => {
    expect(loadConfig({ BOLNA_METRICS_ADDRESS: address }).metricsAddress).toBe(address.trim());
  },
);

test.each([
  '9464',
  'localhost:9464',
  '127.0.0.1',
  '127.0.0.1:0',
  '127.0.0.1:65536',
  '::1:9464',
  '[::1]',
  '1.2.3:80',
])('BOLNA_METRICS_ADDRESS=%s is refused, naming the variable and the form it takes', (address) => {
  expect(() => loadConfig({ BOLNA_METRICS_ADDRESS: address })).toThrow(
    /BOLNA_METRICS_ADDRESS: must be an IP address and port, e\.g\. 127\.0\.0\.1:9464/,
  );
});

test.each([
  ['BOLNA_CSV_DIRS', delimiter, /BOLNA_CSV_DIRS: must list at least one folder/],
  [
    'BOLNA_CSV_ALLOWED_HOSTS',
    'files.corp, http://x.example/',
    /BOLNA_CSV_ALLOWED_HOSTS: 'http:\/\/x\.example\/' is not/,
  ],
  [
    'BOLNA_CSV_ALLOWED_HOSTS',
    '10.0.0.0/33',
    /BOLNA_CSV_ALLOWED_HOSTS: '10\.0\.0\.0\/33' is not a CIDR range/,
  ],
  ['BOLNA_CSV_ALLOWED_HOSTS', '10.0.0/8', /BOLNA_CSV_ALLOWED_HOSTS: '10\.0\.0\/8' is not a CIDR range/],
  ['BOLNA_CSV_MAX_BYTES', '1GB', /BOLNA_CSV_MAX_BYTES/],
  ['BOLNA_CSV_MAX_BYTES', '0', /BOLNA_CSV_MAX_BYTES/],
  ['BOLNA_CSV_DOWNLOAD_TIMEOUT_SECONDS', 'soon', /BOLNA_CSV_DOWNLOAD_TIMEOUT_SECONDS/],
  [
    'BOLNA_CSV_DOWNLOAD_TIMEOUT_SECONDS',
    '7200',
    /BOLNA_CSV_DOWNLOAD_TIMEOUT_SECONDS: must end before the CSV step/,
  ],
])('%s=%s is refused, naming the variable', (name, value, message) => {
  expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  expect(() => loadConfig({ [name]: value })).toThrow(message);
});

test("BOLNA_RATE_LIMIT_PER_MINUTE: Bolna's budget shared by every worker, a whole positive number", () => {
  expect(loadConfig({ BOLNA_RATE_LIMIT_PER_MINUTE: '600' }).bolna.requestsPerMinute).toBe(600);
  expect(loadConfig({ BOLNA_RATE_LIMIT_PER_MINUTE: '' }).bolna.requestsPerMinute).toBe(900);
  for (const wrong of ['0', '-5', '12.5', 'lots']) {
    expect(() => loadConfig({ BOLNA_RATE_LIMIT_PER_MINUTE: wrong })).toThrow(/BOLNA_RATE_LIMIT_PER_MINUTE/);
  }
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

test('the worker redacts every credential it may hold, old payload keys included', () => {
  const secrets = workerSecrets({
    BOLNA_API_KEY: 'bn-key-123456',
    TEMPORAL_API_KEY: 'tmprl-key-123456',
    BOLNA_PAYLOAD_KEY: 'bmV3LWtleS1tYXRlcmlhbA==',
    BOLNA_PAYLOAD_OLD_KEYS: 'k1=b2xkLWtleS1vbmU=,k2=b2xkLWtleS10d28=',
    BOLNA_CODEC_SERVER_TOKEN: ' ',
    AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'aws-secret-123456',
    AWS_SESSION_TOKEN: 'aws-session-123456',
  });
  expect(secrets).toEqual([
    'bn-key-123456',
    'tmprl-key-123456',
    'bmV3LWtleS1tYXRlcmlhbA==',
    'aws-secret-123456',
    'aws-session-123456',
    'b2xkLWtleS1vbmU=',
    'b2xkLWtleS10d28=',
  ]);
});

test('campaign files stay in the results folder unless an s3:// store is named, with its settings', () => {
  expect(loadConfig({}).resultsStore).toEqual({ kind: 'folder' });
  expect(
    loadConfig({
      BOLNA_RESULTS_STORE: 's3://campaign-files/team-a/results/',
      BOLNA_S3_ENDPOINT: 'http://127.0.0.1:9000',
      BOLNA_S3_REGION: 'eu-west-1',
      BOLNA_S3_FORCE_PATH_STYLE: 'true',
      BOLNA_S3_SSE: 'aws:kms',
      BOLNA_S3_SSE_KMS_KEY_ID: 'alias/campaigns',
    }).resultsStore,
  ).toEqual({
    kind: 's3',
    bucket: 'campaign-files',
    prefix: 'team-a/results/',
    endpoint: 'http://127.0.0.1:9000',
    region: 'eu-west-1',
    forcePathStyle: true,
    serverSideEncryption: 'aws:kms',
    kmsKeyId: 'alias/campaigns',
  });
  expect(loadConfig({ BOLNA_RESULTS_STORE: 's3://campaign-files' }).resultsStore).toEqual({
    kind: 's3',
    bucket: 'campaign-files',
    prefix: '',
    forcePathStyle: false,
  });
});

test('a wrong results store setting fails at start-up, naming the variable', () => {
  expect(() => loadConfig({ BOLNA_RESULTS_STORE: '/mnt/results' })).toThrow(/BOLNA_RESULTS_STORE/);
  expect(() => loadConfig({ BOLNA_RESULTS_STORE: 's3://Bad_Bucket/x' })).toThrow(/BOLNA_RESULTS_STORE/);
  expect(() => loadConfig({ BOLNA_S3_SSE: 'rot13' })).toThrow(/BOLNA_S3_SSE/);
  expect(() => loadConfig({ BOLNA_S3_SSE: 'AES256', BOLNA_S3_SSE_KMS_KEY_ID: 'k' })).toThrow(
    /BOLNA_S3_SSE_KMS_KEY_ID: needs BOLNA_S3_SSE=aws:kms/,
  );
});

describe('webhooks', () => {
  const secret = 'a-webhook-secret-of-at-least-32-chars!';

  test('off unless both are set; https, or http on loopback; the secret is redacted', () => {
    expect(loadConfig({}).webhooks).toBeUndefined();
    expect(loadConfig({}).webhookReceiver).toEqual({ host: '127.0.0.1', port: 8788 });
    for (const baseUrl of ['https://hooks.example.com/bolna', 'http://127.0.0.1:8788', 'http://[::1]:8788']) {
      expect(loadConfig({ BOLNA_WEBHOOK_BASE_URL: baseUrl, BOLNA_WEBHOOK_SECRET: secret }).webhooks).toEqual({
        baseUrl,
        secret,
      });
    }
    expect(workerSecrets({ BOLNA_WEBHOOK_SECRET: secret })).toContain(secret);
  });

  test.each([
    [{ BOLNA_WEBHOOK_BASE_URL: 'https://hooks.example.com' }, /BOLNA_WEBHOOK_SECRET: .*set both/],
    [{ BOLNA_WEBHOOK_SECRET: secret }, /BOLNA_WEBHOOK_BASE_URL: .*set both/],
    [
      { BOLNA_WEBHOOK_BASE_URL: 'http://hooks.example.com', BOLNA_WEBHOOK_SECRET: secret },
      /BOLNA_WEBHOOK_BASE_URL: must be https/,
    ],
    [
      { BOLNA_WEBHOOK_BASE_URL: 'https://hooks.example.com', BOLNA_WEBHOOK_SECRET: 'short' },
      /BOLNA_WEBHOOK_SECRET: must be at least 32/,
    ],
  ])('%j is refused by name', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

test("the worker's capacity: unset keeps the worker's defaults, each variable sets its own option", () => {
  expect(loadConfig({}).workerTuning).toEqual({});
  expect(
    loadConfig({
      BOLNA_WORKER_MAX_CACHED_WORKFLOWS: '800',
      BOLNA_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '60',
      BOLNA_WORKER_MAX_CONCURRENT_ACTIVITIES: '50',
      BOLNA_WORKER_WORKFLOW_TASK_POLLERS: '12',
      BOLNA_WORKER_ACTIVITY_TASK_POLLERS: ' 8 ',
    }).workerTuning,
  ).toEqual({
    maxCachedWorkflows: 800,
    maxConcurrentWorkflowTaskExecutions: 60,
    maxConcurrentActivityTaskExecutions: 50,
    maxConcurrentWorkflowTaskPolls: 12,
    maxConcurrentActivityTaskPolls: 8,
  });
  expect(loadConfig({ BOLNA_WORKER_MAX_CONCURRENT_ACTIVITIES: '' }).workerTuning).toEqual({});
});

test.each(['0', '-3', '2.5', 'many'])('BOLNA_WORKER_MAX_CACHED_WORKFLOWS=%s is refused by name', (value) => {
  expect(() => loadConfig({ BOLNA_WORKER_MAX_CACHED_WORKFLOWS: value })).toThrow(
    /BOLNA_WORKER_MAX_CACHED_WORKFLOWS: /,
  );
});
