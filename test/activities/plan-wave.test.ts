import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planWaveActivity } from '../../src/activities/plan-wave';
import type { PlanWaveInput } from '../../src/activities/plan-wave';
import { bolnaScheduleRules } from '../../src/bolna/schedule-time';
import { LedgerWriter } from '../../src/outreach/ledger';
import { FolderStore } from '../../src/store/folder-store';
import { campaignKey } from '../../src/workflows/campaign-key';

const minute = 60_000;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plan-wave-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A ledger of one contact waiting for its retry until `notBeforeMs`. */
async function retryWaitingLedger(notBeforeMs: number): Promise<string> {
  const writer = new LedgerWriter(join(dir, `ledger-${notBeforeMs}.jsonl`));
  await writer.add({
    row: 1,
    number: '+919876543210',
    zones: [],
    variables: [],
    state: 'retry-waiting',
    notBeforeMs,
    attempts: [
      {
        wave: 1,
        batchId: 'batch-1',
        status: 'no-answer',
        atMs: notBeforeMs - 30 * minute,
        costCents: 0,
        calls: 1,
        executionId: 'execution-1',
      },
    ],
  });
  await writer.close();
  return writer.path;
}

describe('planWave, when the next wave must wait (Bolna’s real rules)', () => {
  const nowMs = Date.parse('2026-06-23T12:00:00Z');

  test.each([0, 50, 2_000, 5 * minute])(
    'planning again at planAt + %d ms starts the wave at the start announced while waiting',
    async (lateMs) => {
      const planWave = planWaveActivity({ resultsStore: new FolderStore(dir), rules: bolnaScheduleRules });
      const input: PlanWaveInput = {
        campaignKey: campaignKey('outreach-plan-wave', `run-${lateMs}`),
        ledger: await retryWaitingLedger(nowMs + 30 * minute),
        wave: 2,
        nowMs,
        variableColumns: [],
      };
      const waiting = await planWave(input);
      if (waiting.kind !== 'wait') throw new Error(`expected a wait, got ${waiting.kind}`);
      expect(waiting.startAt).toBe('2026-06-23T12:30:00.000Z');

      // The workflow's timer fires at planAt or a little later, never earlier.
      const planned = await planWave({ ...input, nowMs: Date.parse(waiting.planAt) + lateMs });
      expect(planned).toMatchObject({ kind: 'wave', startAt: waiting.startAt, contacts: 1 });
    },
  );
});
