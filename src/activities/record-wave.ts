import { join } from 'node:path';
import ms from 'ms';
import type { StringValue } from 'ms';
import { executionSchema } from '../bolna/schemas';
import { LedgerWriter, readLedger, readLines } from '../outreach/ledger';
import type { Attempt } from '../outreach/ledger';
import { afterWave, attemptOf, meetsGoal } from '../outreach/wave-outcome';
import type { RetryRule } from '../outreach/wave-outcome';
import type { CampaignGoal, ContactCounts, RetryPolicy } from '../workflows/outreach-definitions';
import type { ActivityDeps } from './deps';

export interface RecordWaveInput {
  campaignKey: string;
  /** The ledger with the wave's contacts in it (the plan's). */
  ledger: string;
  wave: number;
  /** The wave's batch and its collected executions (absent when it never got a batch, or none was collected). */
  batchId?: string;
  executions?: string;
  /** The workflow's "now", when the wave ended: retries wait from here. */
  nowMs: number;
  retry?: RetryPolicy;
  goal?: CampaignGoal;
}

export interface RecordedWave {
  ledger: string;
  contacts: ContactCounts;
  /** Calls placed in this wave, per final status (`voicemail` apart), and what they cost. */
  calls: Record<string, number>;
  costCents: number;
  /** What the whole campaign has spent, and how many contacts meet the goal, after this wave. */
  spendCents: number;
  goalReached: number;
  /** Calls Bolna did not place because the account's wallet ran out. */
  balanceLow: number;
  /** Calls Bolna held back as outside the agent's calling hours (`rescheduled`) when the wave ended. */
  rescheduled: number;
}

/**
 * Applies a wave's results to the ledger: each contact of the wave is answered, waits for a retry, is done, or goes
 * back to pending when its call was never placed (stopped, paused, the window closed first). Contacts are matched
 * by number (unique in a wave). The executions are read once into a map of what the ledger keeps of them, a few
 * hundred bytes each; the ledger is streamed.
 */
export function recordWaveActivity(deps: Pick<ActivityDeps, 'resultsStore'>) {
  return async function recordWave(input: RecordWaveInput): Promise<RecordedWave> {
    const { batchId } = input;
    const calls = new Map<string, Attempt & { extracted?: unknown }>();
    let balanceLow = 0;
    let rescheduled = 0;
    const placedCalls: Record<string, number> = {};
    let costCents = 0;
    if (input.executions !== undefined && batchId !== undefined) {
      for await (const line of readLines(await deps.resultsStore.get(input.executions))) {
        const execution = executionSchema.parse(JSON.parse(line));
        if (execution.status === 'balance-low') balanceLow += 1;
        if (execution.status === 'rescheduled') rescheduled += 1;
        const number =
          execution.telephony_data?.to_number ?? execution.context_details?.recipient_data?.contact_number;
        const attempt = attemptOf(execution, input.wave, batchId, input.nowMs);
        if (typeof number !== 'string' || attempt === undefined) continue;
        calls.set(number, attempt);
        placedCalls[attempt.status] = (placedCalls[attempt.status] ?? 0) + 1;
        costCents += attempt.costCents;
      }
    }
    const retry = retryRule(input.retry);
    const staging = await deps.resultsStore.stage(input.campaignKey);
    try {
      const name = `ledger-${input.wave}-recorded.jsonl`;
      const writer = new LedgerWriter(join(staging.folder, name));
      let spendCents = 0;
      let goalReached = 0;
      for await (const contact of readLedger(await deps.resultsStore.get(input.ledger))) {
        const after =
          contact.state === 'in-wave' && contact.wave === input.wave
            ? afterWave(contact, calls.get(contact.number), retry, input.nowMs)
            : contact;
        for (const attempt of after.attempts) spendCents += attempt.costCents;
        if (input.goal && meetsGoal(after.extracted, input.goal)) goalReached += 1;
        await writer.add(after);
      }
      await writer.close();
      return {
        ledger: await staging.keep(name),
        contacts: writer.counts,
        calls: placedCalls,
        costCents,
        spendCents,
        goalReached,
        balanceLow,
        rescheduled,
      };
    } finally {
      await staging.release();
    }
  };
}

function retryRule(retry: RetryPolicy | undefined): RetryRule | undefined {
  if (retry === undefined) return undefined;
  return { on: retry.on, maxAttempts: retry.maxAttempts, afterMs: ms(retry.after as StringValue) };
}
