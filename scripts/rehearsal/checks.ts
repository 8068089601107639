import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { DateTime } from 'luxon';
import type { PlacedCall } from '../../simulator/server';
import { listCampaigns } from '../../src/campaigns';
import { toPayloadJson } from '../../src/codec/payload-json';
import type { LedgerContact } from '../../src/outreach/ledger';
import { parseS3Location } from '../../src/store/s3-store';
import { safeFileName } from '../../src/workflows/campaign-key';
import { workflowIdOfBatch } from './batches';
import type { DayRecord, StartedOutreach } from './day';
import type { Stack } from './stack';

const run = promisify(execFile);

/**
 * What the day left behind, read from Bolna's side (the simulator's batches and placed calls), from the store
 * (the result and ledger files in the bucket) and from Temporal's SQL visibility, never from the campaigns' own
 * account of themselves. Each figure is a count of what went wrong: every one must be 0.
 */

export interface DayChecks {
  completed: number;
  failed: { workflowId: string; reason: string }[];
  /** Batches beyond one per campaign or wave, and campaigns or waves with none. */
  duplicateBatches: number;
  campaignsWithoutBatch: number;
  /** Calls Bolna made whose result is not in the campaign's results file, and results stored twice. */
  missingResults: number;
  resultsStoredTwice: number;
  missingReports: number;
  /** Outreach: numbers called twice in one wave, suppressed numbers called or uploaded, calls outside the window. */
  calledTwiceInAWave: number;
  suppressedCalled: number;
  callsOutsideWindow: number;
  /** Outreach: ledger contacts whose attempts differ from the calls Bolna placed, or who are missing or doubled. */
  ledgerMismatches: number;
  /** Searches through SQL visibility whose answer differs from what the day did. */
  searchMismatches: string[];
  /** What the Web UI, the codec server or the CLI showed wrong. */
  operatorViewsWrong: string[];
  /** Secrets found in a process's log. */
  secretsInLogs: string[];
}

async function objectText(stack: Stack, location: string): Promise<string> {
  const object = parseS3Location(location);
  if (!object) throw new Error(`${location} is not in the bucket`);
  const answer = await stack.s3.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key }));
  return answer.Body!.transformToString();
}

async function objectExists(stack: Stack, location: string | undefined): Promise<boolean> {
  const object = location && parseS3Location(location);
  if (!object) return false;
  return stack.s3.send(new HeadObjectCommand({ Bucket: object.bucket, Key: object.key })).then(
    () => true,
    () => false,
  );
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);

export async function checkDay(stack: Stack, day: DayRecord, logDir: string): Promise<DayChecks> {
  const checks: DayChecks = {
    completed: 0,
    failed: [],
    duplicateBatches: 0,
    campaignsWithoutBatch: 0,
    missingResults: 0,
    resultsStoredTwice: 0,
    missingReports: 0,
    calledTwiceInAWave: 0,
    suppressedCalled: 0,
    callsOutsideWindow: 0,
    ledgerMismatches: 0,
    searchMismatches: [],
    operatorViewsWrong: [],
    secretsInLogs: [],
  };
  const batchesOf = new Map<
    string,
    {
      batchId: string;
      executionIds: readonly string[];
      rows: readonly (readonly string[])[];
      columns: readonly string[];
    }[]
  >();
  for (const batch of stack.simulator.batches.list()) {
    // File-safe workflow IDs: a Schedule's runs carry `:` in theirs, which their upload names cannot.
    const workflowId = workflowIdOfBatch(batch.fileName) ?? `(unnamed) ${batch.fileName}`;
    batchesOf.set(workflowId, [...(batchesOf.get(workflowId) ?? []), batch]);
  }
  const placed = await stack.simulator.placedCalls();

  for (const campaign of day.batchCampaigns) {
    const ending = campaign.ending;
    if (!ending || ending.how !== 'returned' || ending.outcome !== 'completed') {
      checks.failed.push({
        workflowId: campaign.workflowId,
        reason: campaign.failure ?? (ending?.how === 'failed' ? ending.reason : `ended ${ending?.outcome}`),
      });
      continue;
    }
    checks.completed += 1;
    const batches = batchesOf.get(safeFileName(campaign.workflowId)) ?? [];
    checks.duplicateBatches += Math.max(0, batches.length - 1);
    if (batches.length === 0) checks.campaignsWithoutBatch += 1;
    const { result } = ending;
    const stored = result.files
      ? (jsonLines(await objectText(stack, result.files.jsonl)) as { id: string }[])
      : [];
    const storedIds = new Set(stored.map((execution) => execution.id));
    checks.resultsStoredTwice += stored.length - storedIds.size;
    for (const batch of batches) {
      checks.missingResults += batch.executionIds.filter((id) => !storedIds.has(id)).length;
    }
    if (
      !(await objectExists(stack, result.files?.reportHtml)) ||
      !(await objectExists(stack, result.files?.reportJson))
    ) {
      checks.missingReports += 1;
    }
  }

  for (const campaign of day.outreach) {
    const ending = campaign.ending;
    if (!ending || ending.how !== 'returned' || ending.outcome !== 'completed') {
      checks.failed.push({
        workflowId: campaign.workflowId,
        reason: campaign.failure ?? (ending?.how === 'failed' ? ending.reason : `ended ${ending?.outcome}`),
      });
      continue;
    }
    checks.completed += 1;
    await checkOutreach(stack, campaign, ending.result.files, batchesOf, placed, checks);
  }

  await checkSearches(stack, day, checks);
  checks.operatorViewsWrong = await checkOperatorViews(stack, day);
  checks.secretsInLogs = await secretsIn(logDir, stack.secrets);
  return checks;
}

async function checkOutreach(
  stack: Stack,
  campaign: StartedOutreach,
  files: { contactsJsonl: string; reportHtml?: string; reportJson?: string } | undefined,
  batchesOf: Map<
    string,
    { batchId: string; rows: readonly (readonly string[])[]; columns: readonly string[] }[]
  >,
  placed: readonly PlacedCall[],
  checks: DayChecks,
): Promise<void> {
  const suppressed = new Set(campaign.suppressed);
  const waves = [...batchesOf.entries()].filter(([workflowId]) =>
    workflowId.startsWith(`${campaign.workflowId}-wave-`),
  );
  if (waves.length === 0) checks.campaignsWithoutBatch += 1;
  const callsByNumber = new Map<string, number>();
  for (const [, batches] of waves) {
    checks.duplicateBatches += batches.length - 1;
    for (const batch of batches) {
      const numberColumn = batch.columns.indexOf('contact_number');
      checks.suppressedCalled += batch.rows.filter((row) => suppressed.has(row[numberColumn] ?? '')).length;
      const calls = placed.filter((call) => call.batchId === batch.batchId && call.attempt === 0);
      const numbers = calls.map((call) => call.toNumber);
      checks.calledTwiceInAWave += numbers.length - new Set(numbers).size;
      for (const call of calls) {
        callsByNumber.set(call.toNumber, (callsByNumber.get(call.toNumber) ?? 0) + 1);
        const local = DateTime.fromMillis(call.placedAtMs, { zone: campaign.window.timeZone }).toFormat(
          'HH:mm',
        );
        if (local < campaign.window.start || local >= campaign.window.end) checks.callsOutsideWindow += 1;
      }
    }
  }
  if (
    !files ||
    !(await objectExists(stack, files.reportHtml)) ||
    !(await objectExists(stack, files.reportJson))
  ) {
    checks.missingReports += 1;
  }
  const ledger = files ? (jsonLines(await objectText(stack, files.contactsJsonl)) as LedgerContact[]) : [];
  const seen = new Map<string, number>();
  for (const contact of ledger) {
    seen.set(contact.number, (seen.get(contact.number) ?? 0) + 1);
    const calls = callsByNumber.get(contact.number) ?? 0;
    const expectedState = suppressed.has(contact.number) ? ['suppressed'] : ['answered', 'exhausted'];
    if (contact.attempts.length !== calls || !expectedState.includes(contact.state))
      checks.ledgerMismatches += 1;
  }
  for (const number of campaign.numbers) if (seen.get(number) !== 1) checks.ledgerMismatches += 1;
  for (const number of suppressed) checks.suppressedCalled += callsByNumber.get(number) ?? 0;
}

/**
 * The campaigns found through SQL visibility by their search attributes, by the real `temporal` CLI and by the
 * library's listCampaigns, against what the day knows ended where. Visibility is written after the history, so a
 * search is repeated for up to a minute before its answer counts as wrong.
 */
async function checkSearches(stack: Stack, day: DayRecord, checks: DayChecks): Promise<void> {
  const completedBatch = day.batchCampaigns
    .filter((c) => c.ending?.outcome === 'completed')
    .map((c) => c.workflowId);
  const completedOutreach = day.outreach
    .filter((c) => c.ending?.outcome === 'completed')
    .map((c) => c.workflowId);
  const count = async (query: string) => {
    const { stdout } = await run(stack.temporalCli, [
      'workflow',
      'count',
      '--address',
      stack.temporal.address,
      '--query',
      query,
      '--output',
      'json',
    ]);
    return Number((JSON.parse(stdout) as { count?: string | number }).count ?? 0);
  };
  const searches: { what: string; expected: number; actual: () => Promise<number> }[] = [
    {
      what: `temporal workflow count: batch campaigns of BolnaAgentId ${day.batchAgentId} in CampaignPhase completed`,
      expected: completedBatch.length,
      actual: () =>
        count(
          `WorkflowType = 'batchCampaign' AND BolnaAgentId = '${day.batchAgentId}' AND CampaignPhase = 'completed'`,
        ),
    },
    {
      what: `temporal workflow count: outreach campaigns of BolnaAgentId ${day.outreachAgentId} in CampaignPhase completed`,
      expected: completedOutreach.length,
      actual: () =>
        count(
          `WorkflowType = 'outreachCampaign' AND BolnaAgentId = '${day.outreachAgentId}' AND CampaignPhase = 'completed'`,
        ),
    },
    {
      what: 'listCampaigns({ agentId, phase: completed }): the same campaigns',
      expected: completedBatch.length,
      actual: async () => {
        const listed = await listCampaigns(stack.client, { agentId: day.batchAgentId, phase: 'completed' });
        const wanted = new Set(completedBatch);
        return listed.filter((campaign) => wanted.has(campaign.workflowId)).length;
      },
    },
  ];
  for (const search of searches) {
    let actual = Number.NaN;
    const deadline = Date.now() + 60_000;
    for (;;) {
      actual = await search.actual().catch(() => Number.NaN);
      if (actual === search.expected || Date.now() > deadline) break;
      await new Promise((again) => setTimeout(again, 1_000));
    }
    if (actual !== search.expected)
      checks.searchMismatches.push(`${search.what}: ${actual}, expected ${search.expected}`);
  }
}

/** `name in file` for every secret's value found in any log file. */
async function secretsIn(logDir: string, secrets: Record<string, string>): Promise<string[]> {
  const found: string[] = [];
  for (const file of await readdir(logDir)) {
    const text = await readFile(join(logDir, file), 'utf8');
    for (const [name, value] of Object.entries(secrets))
      if (text.includes(value)) found.push(`${name} in ${file}`);
  }
  return found;
}

/**
 * What operators see, through the parts they use: the Web UI server's API (what its pages load) lists the outreach
 * campaigns; the codec server decrypts a campaign's input the way the Web UI asks it to, while the history itself
 * holds none of it in clear; the product's CLI lists and describes campaigns from the cluster.
 */
async function checkOperatorViews(stack: Stack, day: DayRecord): Promise<string[]> {
  const wrong: string[] = [];
  const ui = await fetch(
    `${stack.webUiUrl}/api/v1/namespaces/default/workflows?query=${encodeURIComponent(
      `WorkflowType = 'outreachCampaign' AND BolnaAgentId = '${day.outreachAgentId}'`,
    )}`,
  ).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as { executions?: unknown[] },
  }));
  if (ui.status !== 200 || ui.body.executions?.length !== day.outreach.length) {
    wrong.push(
      `Web UI API lists ${ui.body.executions?.length ?? 0} outreach campaigns (HTTP ${ui.status}), expected ${day.outreach.length}`,
    );
  }

  const outreach = day.outreach[0]!;
  const history = await stack.client.connection.workflowService.getWorkflowExecutionHistory({
    namespace: stack.client.options.namespace,
    execution: { workflowId: outreach.workflowId },
    maximumPageSize: 1,
  });
  const input = history.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (
    !input ||
    Buffer.from(input.data ?? new Uint8Array())
      .toString('latin1')
      .includes(day.outreachAgentId)
  ) {
    wrong.push('the history holds the campaign input in clear: payloads are not encrypted');
  } else {
    const decoded = await fetch(`${stack.codecUrl}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.webUiUrl, 'x-namespace': 'default' },
      body: JSON.stringify({ payloads: [toPayloadJson(input)] }),
    }).then(async (response) =>
      response.ok ? ((await response.json()) as { payloads: { data?: string }[] }) : undefined,
    );
    const text = Buffer.from(decoded?.payloads[0]?.data ?? '', 'base64').toString('utf8');
    if (!text.includes(day.outreachAgentId))
      wrong.push('the codec server did not decrypt the campaign input for the Web UI');
  }

  const cli = async (...args: string[]) =>
    JSON.parse(
      (await run(process.execPath, [stack.cliEntry, ...args, '--json'], { env: stack.operatorEnv })).stdout,
    ) as unknown;
  const completed = day.batchCampaigns.filter((campaign) => campaign.ending?.outcome === 'completed').length;
  const listed = (await cli(
    'list',
    '--agent',
    day.batchAgentId,
    '--phase',
    'completed',
    '--limit',
    '1000',
  ).catch(() => [])) as unknown[];
  if (listed.length !== completed)
    wrong.push(`bolna-campaign list shows ${listed.length} completed campaigns, expected ${completed}`);
  const described = (await cli('describe', outreach.workflowId).catch(() => ({}))) as {
    workflowType?: string;
    ending?: { outcome?: string };
  };
  if (
    described.workflowType !== 'outreachCampaign' ||
    described.ending?.outcome !== outreach.ending?.outcome
  ) {
    wrong.push(
      `bolna-campaign describe ${outreach.workflowId} does not show how the outreach campaign ended`,
    );
  }
  return wrong;
}
