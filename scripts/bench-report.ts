/**
 * Measures that the campaign report streams: for each N given (default 10,000 and 100,000), writes N synthetic
 * executions (JSON Lines with transcripts, numbers, names and extracted data, ~0.8 KB each) to a temporary file,
 * then builds report.json and report.html from it in a fresh process, and prints one row per N: the file's size,
 * the time, throughput and that process's peak RSS growth. Node options pass on to the measuring process
 * (`node --max-old-space-size=64 --import tsx scripts/bench-report.ts` caps the reader's heap).
 *
 * Run: `npx tsx scripts/bench-report.ts [executions ...]`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Table from 'cli-table3';
import { writeCampaignReport } from '../src/report/write-report';

const statuses = [
  'completed',
  'completed',
  'completed',
  'no-answer',
  'busy',
  'failed',
  'completed',
  'balance-low',
];
const startMs = Date.parse('2026-06-23T10:00:00Z');

/** One call of a campaign that places a call every 0.2 s, a third of them talking one to four minutes. */
function execution(i: number): string {
  const status = statuses[i % statuses.length]!;
  const answered = status === 'completed';
  const talkSeconds = answered ? 30 + ((i * 7919) % 210) : 0;
  const createdMs = startMs + i * 200;
  const phone = `+9198${String(i).padStart(8, '0')}`;
  return JSON.stringify({
    id: `exec-${i}`,
    batch_id: 'bench',
    status,
    answered_by_voice_mail: answered && i % 13 === 0,
    conversation_duration: answered ? talkSeconds : 0,
    total_cost: answered ? Math.round(talkSeconds * 15) / 100 : i % 50 === 0 ? null : 0,
    transcript: answered
      ? `assistant: Hello, am I speaking with Person ${i}? user: Yes. assistant: This is a reminder about your appointment tomorrow. `.repeat(
          6,
        )
      : null,
    extracted_data: answered
      ? {
          interested: i % 3 === 0,
          callback_day: ['monday', 'tuesday', 'friday', `Person ${i}`][i % 4],
          amount: 500 + (i % 1000),
          notes: `Person ${i} asked us to call back on ${phone} after their shift ends in the evening`,
        }
      : null,
    created_at: new Date(createdMs).toISOString(),
    updated_at: new Date(createdMs + 20_000 + talkSeconds * 1000).toISOString(),
    telephony_data: status === 'balance-low' ? null : { duration: String(talkSeconds), to_number: phone },
    context_details: { recipient_data: { contact_number: phone, name: `Person ${i}` } },
  });
}

async function writeExecutions(path: string, count: number): Promise<void> {
  const file = createWriteStream(path, { highWaterMark: 1024 * 1024 });
  for (let i = 0; i < count; i += 1) {
    if (!file.write(`${execution(i)}\n`)) await once(file, 'drain');
  }
  file.end();
  await once(file, 'finish');
}

/**
 * Reads `executionsFile` into a report, in a process of its own that has done nothing else: its RSS before is the
 * runtime and the libraries, so the growth is the report's own.
 */
async function measure(executionsFile: string): Promise<void> {
  const outputDir = await mkdtemp(join(tmpdir(), 'bench-report-output-'));
  try {
    const baseline = process.memoryUsage().rss;
    const started = performance.now();
    const { report } = await writeCampaignReport({
      executionsFiles: [executionsFile],
      campaign: { workflowId: 'campaign-bench', batchIds: ['bench'], missingRows: 0, droppedRows: 0 },
      outputDir,
    });
    const seconds = (performance.now() - started) / 1000;
    // The kernel's high-water mark: a sampler would miss peaks while the loop runs on microtasks alone.
    const peak = process.resourceUsage().maxRSS * 1024;
    const figures: Figures = {
      executions: report.calls.total,
      seconds: Math.round(seconds * 10) / 10,
      executionsPerSecond: Math.round(report.calls.total / seconds),
      rssBeforeMB: mb(baseline),
      peakRssGrowthMB: mb(peak - baseline),
    };
    console.log(JSON.stringify(figures));
  } finally {
    await rm(outputDir, { recursive: true, force: true });
  }
}

interface Figures {
  executions: number;
  seconds: number;
  executionsPerSecond: number;
  rssBeforeMB: number;
  peakRssGrowthMB: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Writes the executions, then measures the report in a fresh process with this one's Node options (heap limits). */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const readIndex = args.indexOf('--read');
  if (readIndex >= 0) return measure(args[readIndex + 1] ?? '');

  const counts = args.length > 0 ? args.map(Number) : [10_000, 100_000];
  if (!counts.every((count) => Number.isInteger(count) && count > 0))
    throw new Error(`executions must be positive integers, got ${args.join(' ')}`);
  const table = new Table({
    head: ['executions', 'file MB', 'seconds', 'executions/s', 'RSS before MB', 'peak RSS growth MB'],
  });
  for (const count of counts) {
    const figures = await benchmark(count);
    table.push([
      figures.executions,
      figures.fileMB,
      figures.seconds,
      figures.executionsPerSecond,
      figures.rssBeforeMB,
      figures.peakRssGrowthMB,
    ]);
  }
  console.log(table.toString());
}

async function benchmark(count: number): Promise<Figures & { fileMB: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-report-'));
  try {
    const executionsFile = join(dir, 'executions.jsonl');
    await writeExecutions(executionsFile, count);
    const fileMB = mb((await stat(executionsFile)).size);
    const child = spawn(process.execPath, [...process.execArgv, __filename, '--read', executionsFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`the measuring process exited with ${code}`);
    return { fileMB, ...(JSON.parse(output) as Figures) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
