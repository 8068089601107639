import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/** `npm run simulator`: the entry point really serves, prints its URL, and stops cleanly on SIGTERM. */

const root = join(__dirname, '..', '..');

function runSimulator(env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(
    process.execPath,
    [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'simulator/main.ts'],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
    },
  );
}

async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0] ?? '';
}

test('serves on the given port with the given key and clock, prints its URL, and exits 0 on SIGTERM', async () => {
  const child = runSimulator({
    BOLNA_SIMULATOR_PORT: '0',
    BOLNA_API_KEY: 'bn-main-test',
    BOLNA_SIMULATOR_MIN_LEAD_SECONDS: '10',
    BOLNA_SIMULATOR_CLOCK_OFFSET_SECONDS: '3600',
  });
  try {
    const line = await firstLine(child.stdout);
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
    expect(url).toBeDefined();
    const sentAtMs = Date.now();
    const answer = await fetch(`${url}/user/me`, { headers: { authorization: 'Bearer bn-main-test' } });
    expect(answer.status).toBe(200);
    // Bolna's clock runs an hour ahead of this machine's (the header has whole seconds).
    const aheadMs = Date.parse(answer.headers.get('date') ?? '') - sentAtMs;
    expect(aheadMs).toBeGreaterThanOrEqual(3_599_000);
    expect(aheadMs).toBeLessThan(3_605_000);
    expect((await fetch(`${url}/user/me`, { headers: { authorization: 'Bearer bn-other' } })).status).toBe(
      403,
    );
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(0);
});

test('a wrong variable stops the start with a message naming it', async () => {
  const child = runSimulator({ BOLNA_SIMULATOR_ROUNDING_SECONDS: 'ten' });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(1);
  expect(stderr).toContain('BOLNA_SIMULATOR_ROUNDING_SECONDS');
});
