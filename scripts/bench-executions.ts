/**
 * Measures that collecting results streams: a loopback server sends a bare JSON array of N executions (default
 * 200,000, about 250 MB) generated on the fly, and the client parses them one by one into the results files.
 * Prints the response size, throughput and the process's peak RSS growth.
 * Run: `npx tsx scripts/bench-executions.ts [executions]`.
 */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Table from 'cli-table3';
import { ResultsWriter } from '../src/activities/results-writer';
import { BolnaClient } from '../src/bolna/client';

function execution(i: number): string {
  return JSON.stringify({
    id: `exec-${i}`,
    batch_id: 'bench',
    status: i % 5 === 0 ? 'no-answer' : 'completed',
    conversation_duration: 61.5,
    total_cost: 9.2,
    transcript:
      'assistant: Hello, this is a reminder about your appointment tomorrow. user: Thanks, I will be there. '.repeat(
        8,
      ),
    telephony_data: {
      duration: '62',
      to_number: `+9198${String(i).padStart(8, '0')}`,
      from_number: '+14155550100',
    },
    context_details: {
      recipient_data: { contact_number: `+9198${String(i).padStart(8, '0')}`, name: `Person ${i}` },
    },
  });
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 200_000);
  let sentBytes = 0;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    let i = 0;
    const pump = () => {
      while (i < count) {
        const chunk = (i === 0 ? '[' : ',') + execution(i);
        i += 1;
        sentBytes += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end(']');
    };
    pump();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = await mkdtemp(join(tmpdir(), 'bench-executions-'));

  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = performance.now();
  const writer = await ResultsWriter.open(dir, ['name']);
  for await (const item of new BolnaClient({ apiKey: 'bench', baseUrl: url }).streamExecutions('bench')) {
    await writer.add(item);
  }
  await writer.close();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  server.close();

  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const table = new Table({
    head: ['executions', 'response MB', 'seconds', 'executions/s', 'RSS before MB', 'peak RSS growth MB'],
  });
  table.push([
    writer.totals.totalCalls,
    mb(sentBytes),
    seconds.toFixed(1),
    Math.round(writer.totals.totalCalls / seconds),
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
