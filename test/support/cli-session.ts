import type { Client } from '@temporalio/client';
import { runCli } from '../../src/cli';

/**
 * Our CLI run in this process against a test's Temporal client, with what it prints kept for the test to read
 * instead of shown (stdout through console.log, stderr through console.error).
 */
export interface CliSession {
  /** Runs `campaign <args>`; resolves with the exit code. */
  run(...args: string[]): Promise<number>;
  /** console.log lines, in order. */
  readonly printed: string[];
  /** console.error lines, in order. */
  readonly errors: string[];
  /** Shows the console's output again. */
  restore(): void;
}

export function cliSession(client: Client): CliSession {
  const printed: string[] = [];
  const errors: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
  const error = jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
  return {
    run: (...args) => runCli(['node', 'campaign', ...args], () => Promise.resolve(client)),
    printed,
    errors,
    restore: () => {
      log.mockRestore();
      error.mockRestore();
    },
  };
}
