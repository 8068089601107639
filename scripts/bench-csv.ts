/**
 * Benchmarks campaign CSV validation: generates a CSV of unique valid numbers plus a few variable columns in the
 * OS temp folder, validates it while writing the clean copy, prints throughput and peak memory, and cleans up.
 * It also times the phone-number check alone with libphonenumber-js's `min` and `max` metadata, the trade-off
 * behind src/csv/phone-number.ts using `max`.
 *
 * Usage: npx tsx scripts/bench-csv.ts [rows]   (default 1,000,000)
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as phoneMax from 'libphonenumber-js/max';
import * as phoneMin from 'libphonenumber-js/min';
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

interface PeakMemory {
  rssBytes: number;
  heapUsedBytes: number;
}

/**
 * Peak memory while `work` runs, sampled every few milliseconds. RSS includes garbage V8 has not yet collected
 * (it lets the heap grow when there is room); heap used, or a run under --max-old-space-size, shows what is kept.
 */
async function withPeakMemory<T>(work: () => Promise<T>): Promise<{ result: T; peak: PeakMemory }> {
  const peak: PeakMemory = { rssBytes: 0, heapUsedBytes: 0 };
  const sample = () => {
    const usage = process.memoryUsage();
    peak.rssBytes = Math.max(peak.rssBytes, usage.rss);
    peak.heapUsedBytes = Math.max(peak.heapUsedBytes, usage.heapUsed);
  };
  sample();
  const sampler = setInterval(sample, 5);
  try {
    const result = await work();
    sample();
    return { result, peak };
  } finally {
    clearInterval(sampler);
  }
}

type PhoneLibrary = Pick<typeof phoneMax, 'parsePhoneNumberFromString'>;

function microsecondsPerPhoneNumber(library: PhoneLibrary, count: number): number {
  const started = performance.now();
  let valid = 0;
  for (let index = 0; index < count; index++) {
    if (library.parsePhoneNumberFromString(phoneNumber(index), { extract: false })?.isValid()) valid += 1;
  }
  if (valid !== count) throw new Error(`expected ${count} valid numbers, got ${valid}`);
  return ((performance.now() - started) * 1000) / count;
}

function printTable(rows: Array<[string, string]>): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1_000_000);
  if (!Number.isInteger(rows) || rows < 1)
    throw new Error(`rows must be a positive integer, got ${process.argv[2]}`);
  const directory = await mkdtemp(join(tmpdir(), 'bench-csv-'));
  try {
    const inputPath = join(directory, 'campaign.csv');
    const outputPath = join(directory, 'clean.csv');
    console.log(`generating ${rows.toLocaleString('en')} rows in ${directory} …`);
    await generateCsv(inputPath, rows);
    const fileBytes = (await stat(inputPath)).size;

    const started = performance.now();
    const { result: summary, peak } = await withPeakMemory(() =>
      validateCampaignCsv(inputPath, { outputPath }),
    );
    const seconds = (performance.now() - started) / 1000;
    if (summary.rows !== rows) throw new Error(`expected ${rows} rows, validated ${summary.rows}`);

    const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    const phoneSample = Math.min(rows, 100_000);
    printTable([
      ['rows', rows.toLocaleString('en')],
      ['file MB', megabytes(fileBytes)],
      ['clean file MB', megabytes((await stat(outputPath)).size)],
      ['seconds', seconds.toFixed(2)],
      ['rows/s', Math.round(rows / seconds).toLocaleString('en')],
      ['peak RSS MB (sampled)', megabytes(peak.rssBytes)],
      ['peak heap used MB (sampled)', megabytes(peak.heapUsedBytes)],
      ['max RSS MB (process)', megabytes(process.resourceUsage().maxRSS * 1024)],
      [
        `phone check µs/number, max metadata (${phoneSample})`,
        microsecondsPerPhoneNumber(phoneMax, phoneSample).toFixed(2),
      ],
      [
        `phone check µs/number, min metadata (${phoneSample})`,
        microsecondsPerPhoneNumber(phoneMin, phoneSample).toFixed(2),
      ],
    ]);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
