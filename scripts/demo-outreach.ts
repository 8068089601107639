/**
 * The demo's outreach campaign (`npm run demo -- --outreach`): a campaign of waves over the same contact list,
 * unanswered calls retried once in a second wave. Prints each wave as the campaign plans, runs and records it, and
 * at the end every contact's result (from the campaign's contacts file).
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import Table from 'cli-table3';
import type { ScheduleRules } from '../src/bolna/schedule-time';
import { startOutreach } from '../src/campaigns';
import type { LedgerContact } from '../src/outreach/ledger';
import { outreachProgressQuery } from '../src/workflows/outreach-definitions';
import type {
  OutreachProgress,
  OutreachResult,
  RetryPolicy,
  WaveSummary,
} from '../src/workflows/outreach-definitions';

export interface OutreachDemoOptions {
  client: Client;
  taskQueue: string;
  agentId: string;
  csv: string;
  name: string;
  /** Bolna's rules the worker runs with: the retry waits one rounding (at least 30 s). */
  rules: ScheduleRules;
  uiUrl?: string;
  namespace: string;
  log: (line: string) => void;
}

const clockTime = (iso: string) => new Date(iso).toLocaleTimeString();

export async function runOutreachDemo(options: OutreachDemoOptions): Promise<OutreachResult> {
  const { log } = options;
  const retry: RetryPolicy = {
    on: ['no-answer', 'busy'],
    maxAttempts: 2,
    after: `${Math.max(30_000, options.rules.roundingMs) / 1000} seconds`,
  };
  const started = await startOutreach({
    client: options.client,
    taskQueue: options.taskQueue,
    name: options.name,
    rules: options.rules,
    input: { agentId: options.agentId, csv: options.csv, pollIntervalSeconds: 2, retry },
  });
  log(
    `Started outreach campaign ${started.workflowId} with ${started.csv?.rows ?? '?'} contacts: ` +
      `unanswered or busy calls are retried once, ${retry.after} after their wave`,
  );
  if (options.uiUrl)
    log(
      `Watch it in the Temporal Web UI: ${options.uiUrl}/namespaces/${options.namespace}/workflows/${started.workflowId}`,
    );

  const said = new Set<string>();
  const sayOnce = (key: string, line: string) => {
    if (said.has(key)) return;
    said.add(key);
    log(line);
  };
  for (;;) {
    // Looked at before the query, so the last progress shown is from after the workflow closed.
    const { status } = await started.handle.describe();
    const progress: OutreachProgress = await started.handle.query(outreachProgressQuery);
    for (const wave of progress.waves) {
      sayOnce(`planned ${wave.number}`, describePlannedWave(wave));
      if (wave.outcome) sayOnce(`ended ${wave.number}`, describeEndedWave(wave));
    }
    if (progress.nextWave && progress.phase === 'waiting') {
      sayOnce(
        `next ${progress.nextWave.at}`,
        `Next wave at ${clockTime(progress.nextWave.at)}: ${progress.nextWave.why}`,
      );
    }
    if (status.name !== 'RUNNING') break;
    await sleep(1_000);
  }
  const final = (await started.handle.result()) as OutreachResult;
  log(`\nOutreach ${final.outcome} after ${final.waves} wave(s): ${describeCounts(final.contacts)}`);
  if (final.files) log(await contactsTable(final.files.contactsJsonl));
  return final;
}

function describePlannedWave(wave: WaveSummary): string {
  return `Wave ${wave.number}: ${wave.contacts} contact(s), Bolna starts it at ${clockTime(wave.startAt)} (${wave.workflowId})`;
}

function describeEndedWave(wave: WaveSummary): string {
  const counts = Object.entries(wave.counts ?? {})
    .map(([status, calls]) => `${status} ${calls}`)
    .join(', ');
  return `Wave ${wave.number} ${wave.outcome ?? 'ended'}: ${counts || 'no calls'}; cost ${wave.costCents ?? 0} cents${
    wave.stopReason ? ` (${wave.stopReason})` : ''
  }`;
}

function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, contacts]) => contacts > 0)
    .map(([state, contacts]) => `${contacts} ${state}`)
    .join(', ');
}

/** One row per contact from the campaign's contacts file; a file kept in S3 is named, not read. */
async function contactsTable(contactsJsonl: string): Promise<string> {
  if (contactsJsonl.startsWith('s3://')) return `Per-contact results: ${contactsJsonl}`;
  const contacts = (await readFile(contactsJsonl, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LedgerContact);
  const table = new Table({
    head: ['row', 'contact', 'state', 'calls (wave: status)'],
    style: { head: [], border: [] },
  });
  for (const contact of contacts) {
    table.push([
      String(contact.row),
      contact.number,
      contact.state,
      contact.attempts.map((attempt) => `${attempt.wave}: ${attempt.status}`).join(', ') || '—',
    ]);
  }
  return `${table.toString()}\nPer-contact results: ${contactsJsonl} (and contacts.csv beside it)`;
}
