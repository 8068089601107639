/**
 * Measures that `BolnaClient.createBatch` streams the CSV from disk instead of reading it into memory: it uploads
 * a generated CSV (default 50 MB) to a loopback server that only counts the bytes, and prints the client's peak
 * RSS growth next to the file size. Run: `npx tsx scripts/bench-upload.ts [megabytes]`.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Table from 'cli-table3';
import { BolnaClient } from '../src/bolna/client';

async function writeCsv(path: string, megabytes: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('contact_number,first_name,notes\n');
  const target = megabytes * 1024 * 1024;
  for (let i = 0, written = 0; written < target; i += 1) {
    const line = `+9198${String(i % 100_000_000).padStart(8, '0')},Person ${i},appointment reminder for next week\n`;
    written += line.length;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function main(): Promise<void> {
  const megabytes = Number(process.argv[2] ?? 50);
  const dir = await mkdtemp(join(tmpdir(), 'bench-upload-'));
  const csvPath = join(dir, 'contacts.csv');
  await writeCsv(csvPath, megabytes);
  const fileBytes = (await stat(csvPath)).size;

  let received = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (received += chunk.length));
    req.on('end', () =>
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"batch_id":"b","state":"created"}'),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const started = performance.now();
  await new BolnaClient({ apiKey: 'bench', baseUrl: url }).createBatch({
    agentId: '00000000-0000-4000-8000-000000000000',
    csvPath,
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  server.close();

  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const table = new Table({
    head: ['CSV MB', 'bytes received MB', 'seconds', 'MB/s', 'RSS before MB', 'peak RSS growth MB'],
  });
  table.push([
    mb(fileBytes),
    mb(received),
    seconds.toFixed(2),
    (fileBytes / 1024 / 1024 / seconds).toFixed(0),
    mb(baseline),
    mb(peak - baseline),
  ]);
  console.log(table.toString());
  await rm(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
