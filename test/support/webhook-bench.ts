import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SimulatorOptions } from '../../simulator/server';
import type { ScheduleRules } from '../../src/bolna/schedule-time';
import { buildWebhookReceiver, temporalSignaller } from '../../src/webhooks/server';
import { batchCampaign } from '../../src/workflows/batch-campaign';
import { progressQuery } from '../../src/workflows/definitions';
import type { CampaignInput, CampaignProgress, CampaignResult } from '../../src/workflows/definitions';
import { contactsCsv, testAgentId } from './constants';
import { startDevStack } from './dev-stack';
import type { DevStack } from './dev-stack';

/**
 * The same campaign run polling and pushed, on the dev server with the simulator and the webhook receiver on
 * loopback: what test/e2e/webhooks.test.ts asserts on and `npm run bench:webhooks` prints. Campaigns run one at a
 * time, so every request the simulator logs during a run is that run's.
 */

export type DeliveryMode = 'polling' | 'pushed';

export interface MeasuredCampaign {
  mode: DeliveryMode;
  workflowId: string;
  result: CampaignResult;
  progress: CampaignProgress;
  /** From the simulator's last call reaching its final status to the campaign's poll that saw the batch done. */
  detectionDelayMs: number;
  /** The campaign's polls (its `getBatch` activities, from its history). */
  polls: number;
  /** Bolna requests of the run by kind (`batch reads`, `create`, ...), from the simulator's log. */
  requests: Record<string, number>;
  wallMs: number;
}

export interface WebhookBench {
  stack: DevStack;
  /** The receiver's base URL (BOLNA_WEBHOOK_BASE_URL of the pushed worker). */
  receiverUrl: string;
  secret: string;
  /** Runs one campaign to its end; `during` runs once it has started (a test's forged webhook, say). */
  run(
    mode: DeliveryMode,
    input?: Partial<CampaignInput>,
    during?: (workflowId: string) => Promise<void>,
  ): Promise<MeasuredCampaign>;
  close(): Promise<void>;
}

export interface WebhookBenchOptions {
  name: string;
  rows: number;
  simulator?: Omit<SimulatorOptions, 'apiKey' | 'rules'>;
  /** Bolna's rules for the simulator and the workers; default `fastRules` (see `startDevStack`). */
  rules?: ScheduleRules;
}

/** A fixed test secret: long enough for the configuration's check, and distinct so a search cannot miss it. */
const benchWebhookSecret = 'webhook-bench-secret-0123456789-abcdefghij';

const taskQueues: Record<DeliveryMode, string> = { polling: 'webhooks-polling', pushed: 'webhooks-pushed' };

export async function startWebhookBench(options: WebhookBenchOptions): Promise<WebhookBench> {
  const stack = await startDevStack({
    name: options.name,
    ...(options.simulator ? { simulator: options.simulator } : {}),
    ...(options.rules ? { rules: options.rules } : {}),
  });
  try {
    const receiver = buildWebhookReceiver({
      secret: benchWebhookSecret,
      signal: temporalSignaller(stack.client),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    });
    const receiverUrl = await receiver.listen({ host: '127.0.0.1', port: 0 });
    const csvPath = join(stack.workDir, 'contacts.csv');
    await writeFile(csvPath, contactsCsv(options.rows));
    await stack.runWorker({ taskQueue: taskQueues.polling });
    await stack.runWorker({
      taskQueue: taskQueues.pushed,
      webhooks: { baseUrl: receiverUrl, secret: benchWebhookSecret },
    });
    let runs = 0;
    return {
      stack,
      receiverUrl,
      secret: benchWebhookSecret,
      run: async (mode, input = {}, during) => {
        runs += 1;
        const workflowId = `campaign-webhooks-${mode}-${runs}-${Date.now()}`;
        const firstRequest = stack.simulator.requests.length;
        const startedMs = Date.now();
        const handle = await stack.client.workflow.start(batchCampaign, {
          taskQueue: taskQueues[mode],
          workflowId,
          args: [{ agentId: testAgentId, csv: csvPath, ...input }],
        });
        await during?.(workflowId);
        const result = await handle.result();
        const wallMs = Date.now() - startedMs;
        const progress = await handle.query(progressQuery);
        const requests = stack.simulator.requests.slice(firstRequest);
        const events = (await handle.fetchHistory()).events ?? [];
        const polls = events.filter(
          (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'getBatch',
        ).length;
        return {
          mode,
          workflowId,
          result,
          progress,
          wallMs,
          polls,
          ...measure(stack, result, progress, requests),
        };
      },
      close: async () => {
        await receiver.close();
        await stack.close();
      },
    };
  } catch (error) {
    await stack.close();
    throw error;
  }
}

function measure(
  stack: DevStack,
  result: CampaignResult,
  progress: CampaignProgress,
  requests: DevStack['simulator']['requests'],
): Pick<MeasuredCampaign, 'detectionDelayMs' | 'requests'> {
  const batch = result.batchId === undefined ? undefined : stack.simulator.batches.find(result.batchId);
  const lastCallMs = batch?.schedule?.finishesAtMs;
  const lastPollMs = progress.lastPolledAt === undefined ? undefined : Date.parse(progress.lastPolledAt);
  if (lastCallMs === undefined || lastPollMs === undefined) {
    throw new Error(`campaign of batch ${result.batchId ?? '?'} made no call or no poll`);
  }
  const byKind: Record<string, number> = {};
  for (const request of requests)
    byKind[kindOf(request.method, request.path)] = (byKind[kindOf(request.method, request.path)] ?? 0) + 1;
  return { detectionDelayMs: lastPollMs - lastCallMs, requests: byKind };
}

/** What a request was for, in the words of the table. */
function kindOf(method: string, path: string): string {
  if (path === '/batches') return 'create';
  if (path === '/user/me') return 'account';
  if (path.startsWith('/v2/')) return 'agent executions';
  if (path.endsWith('/all')) return 'list batches';
  if (path.endsWith('/schedule')) return 'schedule';
  if (path.endsWith('/executions')) return 'executions';
  if (path.endsWith('/stop')) return 'stop';
  return method === 'GET' ? 'batch reads' : `${method} batch`;
}
