import type { Client } from '@temporalio/client';

/**
 * What every command is built with. A command's action comes in two steps, so none can reach Temporal before its
 * input is checked: `check` reads the arguments and options and throws on anything wrong (exit 2) without
 * connecting; only once it returned is Temporal connected to, and `run` given what `check` returned and the client.
 * `run` resolves to the exit code.
 */
export interface CliContext {
  action: <Args extends unknown[], Checked>(
    check: (...args: Args) => Checked | Promise<Checked>,
    run: (checked: Checked, client: Client) => Promise<number>,
  ) => (...args: Args) => Promise<void>;
}
