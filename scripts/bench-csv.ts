/**
 * Benchmarks campaign CSV validation against raw `csv-parse` on the same file: generates a CSV of unique valid
 * numbers plus a few variable columns in the OS temp folder, then, in fresh child processes taking turns, parses it
 * with `csv-parse` alone (same dialect options, records counted and dropped) and validates it while writing the
 * clean copy, as the worker does. Each child first runs its job once on a small file (the first 20,000 rows), so
 * that both are measured with their code compiled, as in a worker that has validated a file before. Each
 * measurement is the best of a few rounds, because the build machine's two cores are shared and a single run
 * mostly measures the neighbours. Prints rows/s of both, their ratio, and each process's peak RSS (the most of any
 * round, warm-up included), then cleans up.
 *
 * Usage: npx tsx scripts/bench-csv.ts [rows] [rounds]   (default 1,000,000 rows, 5 rounds)
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { validateCampaignCsv } from '../src/csv';

const cities = ['Mumbai', 'Delhi', 'Bengaluru, KA', 'Chennai', 'Kolkata'];

/** Unique, valid Indian mobile numbers, written the ways people write them. */
function phoneNumber(index: number): string {
  const digits = String(9_000_000_000 + index);
  switch (index % 3) {
    case 0:
      return `+91${digits}`;
    case 1:
      return `+91 ${digits.slice(0, 5)} ${digits.slice(5)}`;
    default:
      return `+91-${digits.slice(0, 5)}-${digits.slice(5)}`;
  }
}

async function generateCsv(path: string, rows: number): Promise<void> {
  const file = createWriteStream(path);
  const write = async (text: string) => {
    if (!file.write(text)) await once(file, 'drain');
  };
  await write('contact_number,name,city,amount_due,note\n');
  for (let index = 0; index < rows; index++) {
    const city = cities[index % cities.length] ?? '';
    await write(
      `${phoneNumber(index)},Customer ${index},"${city}",${(index % 9_973) / 100},"Reminder: EMI ""${index % 12}"" due"\n`,
    );
  }
  file.end();
  await once(file, 'finish');
}

type Job = 'raw' | 'validate';

interface Measurement {
  rows: number;
  seconds: number;
  maxRssBytes: number;
}

/** csv-parse alone, with the dialect options the validation uses; what the validation's speed is compared with. */
async function parseRaw(inputPath: string): Promise<number> {
  let records = 0;
  await pipeline(
    createReadStream(inputPath),
    parse({
      delimiter: ',',
      record_delimiter: '\n',
      quote: '"',
      escape: '"',
      relax_column_count: true,
      skip_empty_lines: false,
    }),
    new Writable({
      objectMode: true,
      write: (_record, _encoding, done) => {
        records += 1;
        done();
      },
    }),
  );
  return records - 1; // the header
}

const warmUpRows = 20_000;

async function runJob(job: Job, inputPath: string, outputPath: string): Promise<number> {
  if (job === 'raw') return parseRaw(inputPath);
  await rm(outputPath, { force: true });
  return (await validateCampaignCsv(inputPath, { outputPath })).rows;
}

/** Runs one job in this (child) process, warm-up first, and sends the parent what it measured. */
async function measure(job: Job, warmUpPath: string, inputPath: string, outputPath: string): Promise<void> {
  await runJob(job, warmUpPath, outputPath);
  const started = performance.now();
  const rows = await runJob(job, inputPath, outputPath);
  const seconds = (performance.now() - started) / 1000;
  const measurement: Measurement = { rows, seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  process.send?.(measurement);
}

/** A fresh process per run, so that each peak RSS is that job's alone. */
async function runInChild(
  job: Job,
  warmUpPath: string,
  inputPath: string,
  outputPath: string,
): Promise<Measurement> {
  const child = fork(__filename, ['--measure', job, warmUpPath, inputPath, outputPath], { stdio: 'inherit' });
  const [message] = (await once(child, 'message')) as [Measurement];
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the ${job} run exited with ${code}`);
  return message;
}

function printTable(rows: Array<[string, string]>): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
}

function positiveInteger(text: string | undefined, fallback: number, name: string): number {
  const value = Number(text ?? fallback);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${text}`);
  return value;
}

async function main(): Promise<void> {
  const rows = positiveInteger(process.argv[2], 1_000_000, 'rows');
  const rounds = positiveInteger(process.argv[3], 5, 'rounds');
  const directory = await mkdtemp(join(tmpdir(), 'bench-csv-'));
  try {
    const inputPath = join(directory, 'campaign.csv');
    const warmUpPath = join(directory, 'warm-up.csv');
    const outputPath = join(directory, 'clean.csv');
    console.log(`generating ${rows.toLocaleString('en')} rows in ${directory} …`);
    await generateCsv(inputPath, rows);
    await generateCsv(warmUpPath, Math.min(rows, warmUpRows));

    const best: Record<Job, Measurement[]> = { raw: [], validate: [] };
    for (let round = 1; round <= rounds; round++) {
      for (const job of ['raw', 'validate'] as const) {
        const measurement = await runInChild(job, warmUpPath, inputPath, outputPath);
        if (measurement.rows !== rows)
          throw new Error(`${job}: expected ${rows} rows, got ${measurement.rows}`);
        best[job].push(measurement);
      }
    }
    const rowsPerSecond = (job: Job) => rows / Math.min(...best[job].map((run) => run.seconds));
    const peakRss = (job: Job) => Math.max(...best[job].map((run) => run.maxRssBytes));
    const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    const speed = (job: Job) => Math.round(rowsPerSecond(job)).toLocaleString('en');
    printTable([
      ['rows', rows.toLocaleString('en')],
      ['file MB', megabytes((await stat(inputPath)).size)],
      ['clean file MB', megabytes((await stat(outputPath)).size)],
      [`raw csv-parse rows/s (best of ${rounds})`, speed('raw')],
      [`validation rows/s (best of ${rounds})`, speed('validate')],
      ['ratio validation / raw', (rowsPerSecond('validate') / rowsPerSecond('raw')).toFixed(2)],
      ['raw csv-parse peak RSS MB', megabytes(peakRss('raw'))],
      ['validation peak RSS MB', megabytes(peakRss('validate'))],
    ]);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

const [flag, job, warmUpPath, inputPath, outputPath] = process.argv.slice(2);
const run =
  flag === '--measure' && (job === 'raw' || job === 'validate') && warmUpPath && inputPath && outputPath
    ? measure(job, warmUpPath, inputPath, outputPath)
    : main();
run.catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
