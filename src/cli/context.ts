import type { Client } from '@temporalio/client';

/** A command's action resolves to its exit code. */
export type Action<Args extends unknown[]> = (...args: Args) => Promise<number>;

/** What every command is built with. */
export interface CliContext {
  /** Reaches Temporal; called only once the arguments are known to be good. */
  connect: () => Promise<Client>;
  /** Commander ignores what actions return: this wraps an action so its exit code is recorded instead. */
  exits: <Args extends unknown[]>(action: Action<Args>) => (...args: Args) => Promise<void>;
}
