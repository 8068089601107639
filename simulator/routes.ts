import { getUser, listAgentExecutions } from './account-handlers';
import { accessDenied } from './auth';
import type { KeyRefusal } from './auth';
import { deleteBatch, getBatch, listAgentBatches, listExecutions, stopBatch } from './batch-handlers';
import { createBatch } from './create-batch';
import type { Handler } from './handler-context';
import { scheduleBatch } from './schedule-batch';
import type { SimulatorSettings } from './settings';

type Variants = SimulatorSettings['variants'];

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  /** The first path parameter is a batch id (logged with the request). */
  addressesBatch?: true;
  /** Counted against the stricter `/v2/` rate limit too. */
  v2?: true;
  /** Whether the variants in force serve this path at all (default: yes); if not, it is an unknown path. */
  servedIn?: (variants: Variants) => boolean;
  /** How this path refuses a bad key, if not with the usual 403. */
  keyRefusal?: (variants: Variants) => KeyRefusal | undefined;
}

/** Bolna's batch API, exactly these paths. */
const routes: readonly Route[] = [
  { method: 'POST', pattern: /^\/batches$/, handler: createBatch },
  { method: 'POST', pattern: /^\/batches\/([^/]+)\/schedule$/, handler: scheduleBatch, addressesBatch: true },
  { method: 'POST', pattern: /^\/batches\/([^/]+)\/stop$/, handler: stopBatch, addressesBatch: true },
  {
    method: 'GET',
    pattern: /^\/batches\/([^/]+)\/executions$/,
    handler: listExecutions,
    addressesBatch: true,
  },
  { method: 'GET', pattern: /^\/batches\/([^/]+)\/all$/, handler: listAgentBatches },
  { method: 'GET', pattern: /^\/batches\/([^/]+)$/, handler: getBatch, addressesBatch: true },
  { method: 'DELETE', pattern: /^\/batches\/([^/]+)$/, handler: deleteBatch, addressesBatch: true },
  {
    method: 'GET',
    pattern: /^\/user\/me$/,
    handler: getUser,
    servedIn: (variants) => variants.accountEndpoint === 'served',
    keyRefusal: (variants) => (variants.accountKeyRefusal === '401' ? accessDenied : undefined),
  },
  { method: 'GET', pattern: /^\/v2\/agent\/([^/]+)\/executions$/, handler: listAgentExecutions, v2: true },
];

export type RouteMatch =
  | { kind: 'found'; route: Route; params: string[] }
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed'; allow: string[] };

/** Like Bolna's framework: an unknown path is a 404, a known path with another method a 405. */
export function matchRoute(method: string, path: string, variants: Variants): RouteMatch {
  const allow: string[] = [];
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match || route.servedIn?.(variants) === false) continue;
    if (route.method === method) return { kind: 'found', route, params: match.slice(1) };
    allow.push(route.method);
  }
  return allow.length === 0 ? { kind: 'not-found' } : { kind: 'method-not-allowed', allow };
}
