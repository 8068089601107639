import { isIP } from 'node:net';
import { delimiter, resolve } from 'node:path';
import { z } from 'zod';
import { parseAllowedHosts } from './activities/address-policy';
import { defaultBolnaBaseUrl } from './bolna/client';
import type { SearchAttributesMode } from './search-attributes';
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

const envSchema = z.object({
  BOLNA_API_KEY: optional(z.string().trim().optional()),
  BOLNA_BASE_URL: optional(z.url({ protocol: /^https?$/ }).default(defaultBolnaBaseUrl)),
  /** Bolna's rule: `scheduled_at` at least this far ahead. Only the simulator and fast test runs change it. */
  BOLNA_SCHEDULE_LEAD_SECONDS: seconds(120),
  /** Bolna's rule: the start is rounded up to the next multiple of this. */
  BOLNA_SCHEDULE_ROUNDING_SECONDS: seconds(600),
  BOLNA_RESULTS_DIR: optional(z.string().default('results')),
  /** Folders local CSVs may be read from, separated like PATH. Default: the worker's working directory. */
  BOLNA_CSV_DIRS: optional(
    list(delimiter)
      .refine((dirs) => dirs.length > 0, `must list at least one folder (separated by '${delimiter}')`)
      .optional(),
  ),
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
  ),
  BOLNA_CSV_MAX_BYTES: optional(z.coerce.number().int().positive().default(oneGibibyte)),
  BOLNA_CSV_DOWNLOAD_TIMEOUT_SECONDS: optional(
    z.coerce
      .number()
      .int()
      .positive()
      .max(csvStepSeconds, `must end before the CSV step's own ${csvStepSeconds} s timeout`)
      .default(600),
  ),
  TEMPORAL_TASK_QUEUE: optional(z.string().default(defaultTaskQueue)),
  /** Which search attributes campaigns set: those the namespace says it has (`auto`), all (`on`), or none. */
  BOLNA_SEARCH_ATTRIBUTES: optional(z.enum(['auto', 'on', 'off']).default('auto')),
  /** Where the worker serves Prometheus metrics; unset: no metrics endpoint. */
  BOLNA_METRICS_ADDRESS: optional(socketAddress.transform((text) => text.trim()).optional()),
  /** The worker's capacity (see `WorkerTuning`); unset: the defaults `createCampaignWorker` chose by measurement. */
  BOLNA_WORKER_MAX_CACHED_WORKFLOWS: optional(count.optional()),
  BOLNA_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: optional(count.optional()),
  BOLNA_WORKER_MAX_CONCURRENT_ACTIVITIES: optional(count.optional()),
  BOLNA_WORKER_WORKFLOW_TASK_POLLERS: optional(count.optional()),
  BOLNA_WORKER_ACTIVITY_TASK_POLLERS: optional(count.optional()),
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
  };
  resultsDir: string;
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
  /** Only what the environment sets; the rest keeps the worker's defaults. */
  workerTuning: Partial<WorkerTuning>;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const vars = parsed.data;
  return {
    bolna: {
      apiKey: vars.BOLNA_API_KEY,
      baseUrl: vars.BOLNA_BASE_URL,
      rules: {
        minLeadMs: vars.BOLNA_SCHEDULE_LEAD_SECONDS * 1000,
        roundingMs: vars.BOLNA_SCHEDULE_ROUNDING_SECONDS * 1000,
      },
    },
    resultsDir: vars.BOLNA_RESULTS_DIR,
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
    workerTuning: definedOnly({
      maxCachedWorkflows: vars.BOLNA_WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTaskExecutions: vars.BOLNA_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxConcurrentActivityTaskExecutions: vars.BOLNA_WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTaskPolls: vars.BOLNA_WORKER_WORKFLOW_TASK_POLLERS,
      maxConcurrentActivityTaskPolls: vars.BOLNA_WORKER_ACTIVITY_TASK_POLLERS,
    }),
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
    ...oldPayloadKeys,
  ].filter((secret): secret is string => secret !== undefined && secret.trim() !== '');
}
