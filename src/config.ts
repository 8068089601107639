import { isIP } from 'node:net';
import { delimiter, resolve } from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { parseAllowedHosts } from './activities/address-policy';
import { defaultBolnaBaseUrl } from './bolna/client';
import { ConfigError } from './platform/config-error';
import type { ResultsStoreChoice } from './store/open-store';
import { defaultBolnaRequestsPerMinute } from './temporal/bolna-budget';
import type { SearchAttributesMode } from './temporal/search-attributes';
import { defaultTaskQueue } from './workflows/definitions';

/**
 * Environment → typed configuration, parsed once with zod. A wrong value fails at start-up with a message that
 * names the variable. Temporal's own connection variables (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TLS) are read by @temporalio/envconfig, not here.
 */

/** An unset variable and an empty one mean the same: use the default. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema);

const count = z.coerce.number().int().positive();

const seconds = (fallback: number) => optional(z.coerce.number().int().positive().default(fallback));

/** A list in one variable: entries split on `separator`, trimmed, blanks dropped. */
const list = (separator: string) =>
  z.string().transform((text) =>
    text
      .split(separator)
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
  );

/**
 * `ip:port` or `[ipv6]:port`, what the Temporal runtime's Prometheus exporter binds: it takes no host name, and port
 * 0 would bind a port nobody could find.
 */
const socketAddress = z.string().refine((text) => {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  if (!match) return false;
  const [, ipv6, ipv4, port] = match;
  const portNumber = Number(port);
  const ipOk = ipv6 !== undefined ? isIP(ipv6) === 6 : isIP(ipv4 ?? '') === 4;
  return ipOk && portNumber >= 1 && portNumber <= 65_535;
}, 'must be an IP address and port, e.g. 127.0.0.1:9464 or [::]:9464 (a host name is not accepted)');

const oneGibibyte = 1024 ** 3;
/** The CSV step's own start-to-close timeout (src/workflows/batch-campaign.ts): a download must end before it. */
const csvStepSeconds = 30 * 60;

/**
 * What one worker process takes on, chosen with `npm run bench:campaigns` (figures in docs/scale.md). A cached
 * campaign costs about 1 MB: 500 running campaigns kept one worker under 1 GB, and any beyond the cache are
 * replayed from their short histories (under 100 events) when they wake. Activities mostly wait on Bolna, so 100
 * at once cost little, while 20 left activities queued for seconds. More workflow task slots or pollers than
 * Temporal's 40 and 10 changed nothing: workflow tasks wait for CPU, not for slots.
 */
export const defaultWorkerTuning: WorkerTuning = {
  maxCachedWorkflows: 500,
  maxConcurrentWorkflowTaskExecutions: 40,
  maxConcurrentActivityTaskExecutions: 100,
  maxConcurrentWorkflowTaskPolls: 10,
  maxConcurrentActivityTaskPolls: 10,
};

/**
 * Every variable, each with its `description` and, when the schema holds no default, what an unset variable means
 * (`whenUnset`): the source of docs/configuration.md (`npm run docs:config`).
 */
export const envSchema = z.object({
  BOLNA_API_KEY: optional(z.string().trim().optional()).meta({
    description:
      'Bolna key (`bn-…`); required by the worker. Never enters workflow inputs, history, logs or errors.',
  }),
  BOLNA_BASE_URL: optional(z.url({ protocol: /^https?$/ }).default(defaultBolnaBaseUrl)).meta({
    description: 'Bolna API (or the simulator, e.g. `http://127.0.0.1:8787`)',
  }),
  /** Bolna's rule: `scheduled_at` at least this far ahead. Only the simulator and fast test runs change it. */
  BOLNA_SCHEDULE_LEAD_SECONDS: seconds(120).meta({
    description: "Bolna's minimum lead for `scheduled_at`; only shrink it against the simulator",
  }),
  /** Bolna's rule: the start is rounded up to the next multiple of this. */
  BOLNA_SCHEDULE_ROUNDING_SECONDS: seconds(600).meta({
    description: 'Bolna rounds starts up to this mark; only shrink it against the simulator',
  }),
  /** Bolna requests per minute that all workers of the task queue share (Bolna allows 1000 per organisation). */
  BOLNA_RATE_LIMIT_PER_MINUTE: optional(
    z.coerce.number().int().positive().default(defaultBolnaRequestsPerMinute),
  ).meta({
    description:
      'Bolna requests a minute that all workers of the task queue share (Bolna allows 1,000); see [Rate limit](rate-limit.md)',
  }),
  BOLNA_RESULTS_DIR: optional(z.string().default('results')).meta({
    description:
      "where each campaign's clean CSV and results are written (`<dir>/<workflow-id>-<first-run-id>/`); with an S3 store, only the owner-only staging folder",
  }),
  /** Unset: campaign files stay in BOLNA_RESULTS_DIR. `s3://bucket/prefix`: they go to object storage. */
  BOLNA_RESULTS_STORE: optional(
    z
      .string()
      .trim()
      .regex(
        /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/,
        'must be s3://bucket or s3://bucket/prefix (or unset, for the folder BOLNA_RESULTS_DIR)',
      )
      .optional(),
  ).meta({
    description:
      '`s3://bucket/prefix`: keep campaign files in S3-compatible object storage instead; see [Many hosts](operating.md#many-hosts)',
    whenUnset: '— (the folder `BOLNA_RESULTS_DIR`)',
  }),
  /** An S3-compatible server (MinIO, Ceph, R2, ...); unset: AWS. */
  BOLNA_S3_ENDPOINT: optional(z.url({ protocol: /^https?$/ }).optional()).meta({
    description:
      "an S3-compatible server's URL (MinIO, Ceph, R2, ...); credentials come from the AWS SDK's standard chain (`AWS_*` variables, profile, role)",
    whenUnset: 'AWS',
  }),
  BOLNA_S3_REGION: optional(z.string().trim().optional()).meta({
    description: "the object store's region",
    whenUnset: "the SDK's region",
  }),
  BOLNA_S3_FORCE_PATH_STYLE: optional(z.enum(['true', 'false']).default('false')).meta({
    description: '`true`: `endpoint/bucket/key` URLs, as most S3-compatible servers want',
  }),
  BOLNA_S3_SSE: optional(z.enum(['AES256', 'aws:kms']).optional()).meta({
    description: 'server-side encryption asked for on every object: `AES256` or `aws:kms`',
    whenUnset: "— (the bucket's default)",
  }),
  BOLNA_S3_SSE_KMS_KEY_ID: optional(z.string().trim().optional()).meta({
    description: 'with `BOLNA_S3_SSE=aws:kms`: the KMS key ID or alias',
    whenUnset: "— (the account's AWS-managed key)",
  }),
  /** Folders local CSVs may be read from, separated like PATH. Default: the worker's working directory. */
  BOLNA_CSV_DIRS: optional(
    list(delimiter)
      .refine((dirs) => dirs.length > 0, `must list at least one folder (separated by '${delimiter}')`)
      .optional(),
  ).meta({
    description:
      'folders local CSVs may be read from, separated like `PATH` (`:`; `;` on Windows); symlinks are resolved first, and `/proc`, `/sys` and `/dev` are never read',
    whenUnset: "the worker's working folder",
  }),
  /** Host names, IP addresses or CIDR ranges a CSV URL may reach although they are private. */
  BOLNA_CSV_ALLOWED_HOSTS: optional(
    list(',')
      .superRefine((entries, context) => {
        try {
          parseAllowedHosts(entries);
        } catch (error) {
          context.addIssue({ code: 'custom', message: (error as Error).message });
        }
      })
      .default([]),
  ).meta({
    description:
      'comma-separated host names, IP addresses or CIDR ranges a CSV URL may reach although private (an on-premises file server); cloud metadata addresses never',
    whenUnset: '—',
  }),
  BOLNA_CSV_MAX_BYTES: optional(z.coerce.number().int().positive().default(oneGibibyte)).meta({
    description: 'largest CSV download, in bytes (the default is 1 GiB)',
  }),
  BOLNA_CSV_DOWNLOAD_TIMEOUT_SECONDS: optional(
    z.coerce
      .number()
      .int()
      .positive()
      .max(csvStepSeconds, `must end before the CSV step's own ${csvStepSeconds} s timeout`)
      .default(600),
  ).meta({
    description:
      "deadline for a whole CSV download, redirects included (at most 1800, the CSV step's own timeout)",
  }),
  TEMPORAL_TASK_QUEUE: optional(z.string().default(defaultTaskQueue)).meta({
    description: 'task queue of workers and starters',
  }),
  /** Which search attributes campaigns set: those the namespace says it has (`auto`), all (`on`), or none. */
  BOLNA_SEARCH_ATTRIBUTES: optional(z.enum(['auto', 'on', 'off']).default('auto')).meta({
    description:
      'which search attributes campaigns set: those the namespace has (`auto`, asked at start), all four (`on`, for Temporal Cloud), none (`off`)',
  }),
  /** Where the worker serves Prometheus metrics; unset: no metrics endpoint. */
  BOLNA_METRICS_ADDRESS: optional(socketAddress.transform((text) => text.trim()).optional()).meta({
    description:
      "`ip:port` for the worker's Prometheus metrics (`/metrics`), e.g. `127.0.0.1:9464`; see [Metrics](operating.md#metrics)",
    whenUnset: '— (off)',
  }),
  /** Folder of the prebuilt workflow bundle (`npm run build:workflow-bundle`); unset: bundled at start. */
  BOLNA_WORKFLOW_BUNDLE: optional(z.string().optional()).meta({
    description:
      'folder of the prebuilt workflow bundle (`npm run build:workflow-bundle`); the Docker image sets it',
    whenUnset: '— (bundled at start)',
  }),
  /** Public base URL of the webhook receiver (`npm run webhooks`); unset: campaigns poll, as without a receiver. */
  BOLNA_WEBHOOK_BASE_URL: optional(z.url({ protocol: /^https?$/ }).optional()).meta({
    description:
      "push instead of poll, see [Webhooks](webhooks.md): the receiver's public base URL (https; http only on loopback); set with `BOLNA_WEBHOOK_SECRET` or neither, the same on workers and receiver",
    whenUnset: '— (off)',
  }),
  /** Key of the per-campaign tokens in the webhook URLs; workers and receiver must share it. */
  BOLNA_WEBHOOK_SECRET: optional(
    z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
  ).meta({
    description:
      'the 32+ character secret of the campaign tokens; set with `BOLNA_WEBHOOK_BASE_URL` or neither, the same on workers and receiver',
    whenUnset: '— (off)',
  }),
  /** Where the receiver listens (behind the proxy that serves BOLNA_WEBHOOK_BASE_URL). */
  BOLNA_WEBHOOK_HOST: optional(z.string().default('127.0.0.1')).meta({
    description: 'where `npm run webhooks` listens (behind the TLS proxy serving the base URL)',
  }),
  BOLNA_WEBHOOK_PORT: optional(z.coerce.number().int().min(0).max(65_535).default(8788)).meta({
    description: 'the port `npm run webhooks` listens on',
  }),
  /** The worker's capacity (see `WorkerTuning`); unset: the defaults `createCampaignWorker` chose by measurement. */
  BOLNA_WORKER_MAX_CACHED_WORKFLOWS: optional(count.optional()).meta({
    description:
      'campaigns a worker keeps in memory (about 1 MB each); others are replayed when they wake; see [Scale](scale.md)',
    whenUnset: `\`${defaultWorkerTuning.maxCachedWorkflows}\``,
  }),
  BOLNA_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: optional(count.optional()).meta({
    description: 'workflow tasks a worker runs at once',
    whenUnset: `\`${defaultWorkerTuning.maxConcurrentWorkflowTaskExecutions}\``,
  }),
  BOLNA_WORKER_MAX_CONCURRENT_ACTIVITIES: optional(count.optional()).meta({
    description: 'activities (Bolna requests, CSV checks, downloads) a worker runs at once',
    whenUnset: `\`${defaultWorkerTuning.maxConcurrentActivityTaskExecutions}\``,
  }),
  BOLNA_WORKER_WORKFLOW_TASK_POLLERS: optional(count.optional()).meta({
    description: 'workflow task pollers (at least 2, at most the workflow task slots)',
    whenUnset: `\`${defaultWorkerTuning.maxConcurrentWorkflowTaskPolls}\``,
  }),
  BOLNA_WORKER_ACTIVITY_TASK_POLLERS: optional(count.optional()).meta({
    description: 'activity task pollers',
    whenUnset: `\`${defaultWorkerTuning.maxConcurrentActivityTaskPolls}\``,
  }),
});

/** The token rides in the URL's path: only https keeps it off the wire, except on the machine itself. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  return ipaddr.isValid(host) && ipaddr.parse(host).range() === 'loopback';
}

const checkedEnvSchema = envSchema.superRefine((vars, context) => {
  const { BOLNA_WEBHOOK_BASE_URL: baseUrl, BOLNA_WEBHOOK_SECRET: secret } = vars;
  if ((baseUrl === undefined) !== (secret === undefined)) {
    context.addIssue({
      code: 'custom',
      path: [baseUrl === undefined ? 'BOLNA_WEBHOOK_BASE_URL' : 'BOLNA_WEBHOOK_SECRET'],
      message: 'BOLNA_WEBHOOK_BASE_URL and BOLNA_WEBHOOK_SECRET go together: set both, or neither',
    });
  }
  if (baseUrl !== undefined) {
    const url = new URL(baseUrl);
    if (url.protocol !== 'https:' && !isLoopbackHost(url.hostname)) {
      context.addIssue({
        code: 'custom',
        path: ['BOLNA_WEBHOOK_BASE_URL'],
        message: 'must be https (http only on loopback): its path carries the campaign tokens',
      });
    }
    if (url.search !== '' || url.hash !== '') {
      context.addIssue({
        code: 'custom',
        path: ['BOLNA_WEBHOOK_BASE_URL'],
        message: 'must have no query or fragment: the campaign paths are appended to it',
      });
    }
  }
});

/**
 * How much one worker process takes on at once: workflows kept in its cache, workflow tasks and activities run
 * concurrently, and pollers of each kind. Named as Temporal's `WorkerOptions`; each may be set alone.
 */
export interface WorkerTuning {
  maxCachedWorkflows: number;
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentActivityTaskExecutions: number;
  maxConcurrentWorkflowTaskPolls: number;
  maxConcurrentActivityTaskPolls: number;
}

export interface Config {
  bolna: {
    apiKey: string | undefined;
    baseUrl: string;
    rules: { minLeadMs: number; roundingMs: number };
    /** Requests per minute every worker of the task queue shares (src/temporal/bolna-budget.ts). */
    requestsPerMinute: number;
  };
  /** The local results folder; with an S3 store, where files are staged before they are uploaded. */
  resultsDir: string;
  /** Where campaign files are kept: the folder `resultsDir`, or an S3-compatible bucket. */
  resultsStore: ResultsStoreChoice;
  csvSources: {
    /** Absolute folders. */
    allowedDirs: string[];
    allowedHosts: string[];
    maxBytes: number;
    downloadTimeoutMs: number;
  };
  taskQueue: string;
  searchAttributes: SearchAttributesMode;
  /** `ip:port` to serve Prometheus metrics on (`/metrics`), or undefined for none. */
  metricsAddress: string | undefined;
  /** Folder of the prebuilt workflow bundle, or undefined to bundle the workflows at start. */
  workflowBundleDir: string | undefined;
  /** Push instead of poll: campaigns give Bolna a webhook URL under `baseUrl`; undefined: campaigns poll. */
  webhooks: { baseUrl: string; secret: string } | undefined;
  /** Where `npm run webhooks` listens. */
  webhookReceiver: { host: string; port: number };
  /** Only what the environment sets; the rest keeps the worker's defaults. */
  workerTuning: Partial<WorkerTuning>;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = checkedEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const vars = parsed.data;
  if (vars.BOLNA_S3_SSE_KMS_KEY_ID && vars.BOLNA_S3_SSE !== 'aws:kms') {
    throw new ConfigError('Invalid configuration:\n  BOLNA_S3_SSE_KMS_KEY_ID: needs BOLNA_S3_SSE=aws:kms');
  }
  return {
    bolna: {
      apiKey: vars.BOLNA_API_KEY,
      baseUrl: vars.BOLNA_BASE_URL,
      rules: {
        minLeadMs: vars.BOLNA_SCHEDULE_LEAD_SECONDS * 1000,
        roundingMs: vars.BOLNA_SCHEDULE_ROUNDING_SECONDS * 1000,
      },
      requestsPerMinute: vars.BOLNA_RATE_LIMIT_PER_MINUTE,
    },
    resultsDir: vars.BOLNA_RESULTS_DIR,
    resultsStore: vars.BOLNA_RESULTS_STORE === undefined ? { kind: 'folder' } : s3Store(vars),
    csvSources: {
      // Relative folders, like relative CSV paths, are the worker's working directory's.
      allowedDirs: (vars.BOLNA_CSV_DIRS ?? ['.']).map((dir) => resolve(dir)),
      allowedHosts: vars.BOLNA_CSV_ALLOWED_HOSTS,
      maxBytes: vars.BOLNA_CSV_MAX_BYTES,
      downloadTimeoutMs: vars.BOLNA_CSV_DOWNLOAD_TIMEOUT_SECONDS * 1000,
    },
    taskQueue: vars.TEMPORAL_TASK_QUEUE,
    searchAttributes: vars.BOLNA_SEARCH_ATTRIBUTES,
    metricsAddress: vars.BOLNA_METRICS_ADDRESS,
    workflowBundleDir: vars.BOLNA_WORKFLOW_BUNDLE,
    webhooks:
      vars.BOLNA_WEBHOOK_BASE_URL !== undefined && vars.BOLNA_WEBHOOK_SECRET !== undefined
        ? { baseUrl: vars.BOLNA_WEBHOOK_BASE_URL, secret: vars.BOLNA_WEBHOOK_SECRET }
        : undefined,
    webhookReceiver: { host: vars.BOLNA_WEBHOOK_HOST, port: vars.BOLNA_WEBHOOK_PORT },
    workerTuning: definedOnly({
      maxCachedWorkflows: vars.BOLNA_WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTaskExecutions: vars.BOLNA_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxConcurrentActivityTaskExecutions: vars.BOLNA_WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTaskPolls: vars.BOLNA_WORKER_WORKFLOW_TASK_POLLERS,
      maxConcurrentActivityTaskPolls: vars.BOLNA_WORKER_ACTIVITY_TASK_POLLERS,
    }),
  };
}

function s3Store(vars: z.infer<typeof envSchema>): Config['resultsStore'] {
  const { host: bucket, pathname } = new URL(vars.BOLNA_RESULTS_STORE ?? '');
  const prefix = pathname.replace(/^\/+|\/+$/g, '');
  return {
    kind: 's3',
    bucket,
    prefix: prefix === '' ? '' : `${prefix}/`,
    forcePathStyle: vars.BOLNA_S3_FORCE_PATH_STYLE === 'true',
    ...(vars.BOLNA_S3_ENDPOINT ? { endpoint: vars.BOLNA_S3_ENDPOINT } : {}),
    ...(vars.BOLNA_S3_REGION ? { region: vars.BOLNA_S3_REGION } : {}),
    ...(vars.BOLNA_S3_SSE ? { serverSideEncryption: vars.BOLNA_S3_SSE } : {}),
    ...(vars.BOLNA_S3_SSE_KMS_KEY_ID ? { kmsKeyId: vars.BOLNA_S3_SSE_KMS_KEY_ID } : {}),
  };
}

/** The entries that have a value (strict optional properties may not hold `undefined`). */
function definedOnly<T extends object>(values: { [K in keyof T]: T[K] | undefined }): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** The worker cannot do anything without a key; say so by name instead of failing on the first call. */
export function requireApiKey(config: Config): string {
  if (!config.bolna.apiKey) {
    throw new ConfigError('BOLNA_API_KEY is not set: calling Bolna needs a Bolna API key (bn-…)');
  }
  return config.bolna.apiKey;
}

/** Every credential a worker may hold, as text: what its redactor takes out of errors and log lines. */
export function workerSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  // `id=base64,id=base64`: the key is everything after an entry's first `=` (base64 may end in `=` itself).
  const oldPayloadKeys = (env.BOLNA_PAYLOAD_OLD_KEYS ?? '')
    .split(',')
    .map((entry) => entry.slice(entry.indexOf('=') + 1));
  return [
    env.BOLNA_API_KEY,
    env.TEMPORAL_API_KEY,
    env.BOLNA_PAYLOAD_KEY,
    env.BOLNA_CODEC_SERVER_TOKEN,
    // The object store's credentials, when the SDK reads them from the environment (the key ID is not secret).
    env.AWS_SECRET_ACCESS_KEY,
    env.AWS_SESSION_TOKEN,
    env.BOLNA_WEBHOOK_SECRET,
    ...oldPayloadKeys,
  ].filter((secret): secret is string => secret !== undefined && secret.trim() !== '');
}
