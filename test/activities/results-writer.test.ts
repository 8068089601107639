import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ResultsWriter, escapeSpreadsheetFormula } from '../../src/activities/results-writer';
import type { Execution } from '../../src/bolna/schemas';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'results-writer-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

const execution = (overrides: Partial<Execution>): Execution => ({
  id: 'exec-1',
  status: 'completed',
  conversation_duration: 42.5,
  total_cost: 12,
  telephony_data: { to_number: '+919876543210', from_number: '+14155550100', duration: '43' },
  context_details: { recipient_data: { contact_number: '+919876543210', name: 'Asha' } },
  ...overrides,
});

test('formula-looking values are neutralised; phone numbers and plain numbers are left alone', () => {
  expect(escapeSpreadsheetFormula('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`);
  expect(escapeSpreadsheetFormula('@SUM(A1)')).toBe(`'@SUM(A1)`);
  expect(escapeSpreadsheetFormula('+1+cmd|calc')).toBe(`'+1+cmd|calc`);
  expect(escapeSpreadsheetFormula('-2+3')).toBe(`'-2+3`);
  expect(escapeSpreadsheetFormula('+919876543210')).toBe('+919876543210');
  expect(escapeSpreadsheetFormula('-12.5')).toBe('-12.5');
  expect(escapeSpreadsheetFormula('hello')).toBe('hello');
});

test('writes every execution to JSON Lines and CSV and keeps totals', async () => {
  const writer = await ResultsWriter.open(dir, ['name']);
  await writer.add(execution({}));
  await writer.add(execution({ id: 'exec-2', answered_by_voice_mail: true, total_cost: 3 }));
  await writer.add(
    execution({
      id: 'exec-3',
      status: 'no-answer',
      conversation_duration: 0,
      total_cost: 0,
      context_details: { recipient_data: { name: '=cmd()' } },
    }),
  );
  await writer.close();

  expect(writer.totals).toEqual({
    totalCalls: 3,
    counts: { completed: 2, 'no-answer': 1 },
    answered: 1,
    voicemail: 1,
    balanceLow: 0,
    totalDurationSeconds: 85,
    totalCostCents: 15,
  });
  const jsonl = (await readFile(writer.jsonlPath, 'utf8')).trim().split('\n');
  expect(jsonl.map((line) => (JSON.parse(line) as Execution).id)).toEqual(['exec-1', 'exec-2', 'exec-3']);
  const rows = parse<Record<string, string>>(await readFile(writer.csvPath), { columns: true });
  expect(rows).toHaveLength(3);
  expect(rows[0]).toMatchObject({
    execution_id: 'exec-1',
    contact_number: '+919876543210',
    'var:name': 'Asha',
  });
  expect(rows[2]!['var:name']).toBe(`'=cmd()`);
  expect((await readdir(dir)).sort()).toEqual(['executions.csv', 'executions.jsonl']);
});

test('a discarded writer leaves nothing behind', async () => {
  const writer = await ResultsWriter.open(dir, []);
  await writer.add(execution({}));
  await writer.discard();
  expect(await readdir(dir)).toEqual([]);
});

test('a writer discarded while its writes are still in flight settles quietly and leaves nothing behind', async () => {
  // The failing step's own error is what the activity must report: a write the discard cut short is not news.
  // Discarding after 0, 1, 2, … turns of the event loop lands at every stage: opening, first write, batched writes.
  const rows = Array.from({ length: 50 }, (_, i) =>
    execution({ id: `exec-${i}`, transcript: 'x'.repeat(2_000) }),
  );
  for (let turns = 0; turns < 40; turns += 1) {
    const writer = await ResultsWriter.open(dir, ['name']);
    for (const row of rows) await writer.add(row);
    for (let turn = 0; turn < turns; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    await expect(writer.discard()).resolves.toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
  }
});

test('results hold personal data: files are readable by the owner only', async () => {
  const writer = await ResultsWriter.open(join(dir, 'campaign'), []);
  await writer.add(execution({}));
  await writer.close();
  expect((await stat(join(dir, 'campaign'))).mode & 0o777).toBe(0o700);
  expect((await stat(writer.jsonlPath)).mode & 0o777).toBe(0o600);
  expect((await stat(writer.csvPath)).mode & 0o777).toBe(0o600);
});

test('partial files left by an attempt killed mid-write are removed by the next one', async () => {
  await writeFile(join(dir, 'executions.jsonl.dead1234.partial'), '{"phone":"+919876543210"}\n');
  await writeFile(join(dir, 'executions.csv.dead1234.partial'), 'contact_number\n+919876543210\n');
  await writeFile(join(dir, 'contacts.csv'), 'contact_number\n+919876543210\n');
  const writer = await ResultsWriter.open(dir, []);
  await writer.add(execution({}));
  await writer.close();
  expect((await readdir(dir)).sort()).toEqual(['contacts.csv', 'executions.csv', 'executions.jsonl']);
});

test('two attempts writing at once (one presumed dead): whatever is published is whole, never a mix', async () => {
  const rows = Array.from({ length: 2_000 }, (_, i) =>
    execution({ id: `exec-${i}`, transcript: 'x'.repeat(500) }),
  );
  const writeAll = async () => {
    const writer = await ResultsWriter.open(dir, ['name']);
    for (const row of rows) await writer.add(row);
    await writer.close();
    return writer;
  };
  // The later attempt may remove the earlier one's partial files; then only the earlier one fails.
  const attempts = await Promise.allSettled([writeAll(), writeAll()]);
  expect(attempts.some((attempt) => attempt.status === 'fulfilled')).toBe(true);
  const lines = (await readFile(join(dir, 'executions.jsonl'), 'utf8')).trim().split('\n');
  expect(lines.map((line) => (JSON.parse(line) as Execution).id)).toEqual(rows.map((row) => row.id));
  expect((await readdir(dir)).sort()).toEqual(['executions.csv', 'executions.jsonl']);
});

test('balance-low calls are counted, not hidden among failures', async () => {
  const writer = await ResultsWriter.open(dir, []);
  await writer.add(execution({ id: 'a', status: 'balance-low', conversation_duration: 0, total_cost: 0 }));
  await writer.add(execution({ id: 'b' }));
  await writer.close();
  expect(writer.totals).toMatchObject({
    balanceLow: 1,
    answered: 1,
    counts: { 'balance-low': 1, completed: 1 },
  });
});
