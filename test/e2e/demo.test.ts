import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The README's first command, run as a newcomer would (`npm run demo`): it must install what it needs, run a
 * campaign on the embedded dev server and the simulator, and print the results and where the Web UI is.
 */
test('npm run demo completes a campaign and prints its results', async () => {
  const env = { ...process.env };
  for (const name of ['BOLNA_API_KEY', 'TEMPORAL_ADDRESS', 'BOLNA_AGENT_ID', 'TEMPORAL_TASK_QUEUE'])
    delete env[name];
  const { stdout } = await run('npm', ['run', '--silent', 'demo'], {
    env,
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  expect(stdout).toContain('Campaign completed');
  expect(stdout).toMatch(/calls\s*│\s*10/);
  expect(stdout).toMatch(/Web UI: http:\/\/localhost:\d+/);
}, 300_000);
