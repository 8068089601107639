import type { Client } from '@temporalio/client';
import { Command, CommanderError } from 'commander';
import { connectClient } from '../campaigns';
import { addBatchesCommand } from './commands/batches';
import { addDescribeCommand } from './commands/describe';
import { addListCommand } from './commands/list';
import { addPauseCommand } from './commands/pause';
import { addReportCommand } from './commands/report';
import { addResultsCommand } from './commands/results';
import { addResumeCommand } from './commands/resume';
import { addScheduleCommand } from './commands/schedule';
import { addStartCommand } from './commands/start';
import { addStatusCommand } from './commands/status';
import { addStopCommand } from './commands/stop';
import { addWatchCommand } from './commands/watch';
import type { CliContext } from './context';
import { exitCodes, failureExit } from './exit-codes';

export { exitCodes } from './exit-codes';

/**
 * The campaign CLI: `start`, `schedule`, `status`, `watch`, `stop`, `pause`, `resume`, `results`, and for operators `list`,
 * `describe`, `batches` and `report`, over the library in
 * src/campaigns.ts. Human output by default, `--json` for scripts; exit codes in exit-codes.ts.
 */
function buildCli(
  connect: () => Promise<Client> = connectClient,
  setExitCode: (code: number) => void = (code) => (process.exitCode = code),
): Command {
  const context: CliContext = {
    action:
      (check, run) =>
      async (...args) => {
        const checked = await check(...args);
        setExitCode(await run(checked, await connect()));
      },
  };
  const program = new Command('bolna-campaign')
    .description('Run Bolna batch-calling campaigns as durable Temporal workflows')
    .showHelpAfterError();
  for (const addCommand of [
    addStartCommand,
    addScheduleCommand,
    addStatusCommand,
    addWatchCommand,
    addStopCommand,
    addPauseCommand,
    addResumeCommand,
    addResultsCommand,
    addListCommand,
    addDescribeCommand,
    addBatchesCommand,
    addReportCommand,
  ]) {
    addCommand(program, context);
  }
  return program;
}

/**
 * Runs the CLI and resolves to the process exit code. `connect` reaches Temporal (default: the TEMPORAL_*
 * settings); it is called only after the command's input was checked, at most once.
 */
export async function runCli(argv: string[], connect?: () => Promise<Client>): Promise<number> {
  let code: number = exitCodes.ok;
  const program = buildCli(connect, (actionCode) => (code = actionCode));
  program.exitOverride();
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed the usage problem (or the help, with exit code 0).
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.invalidInput;
    }
    const exit = failureExit(error);
    console.error(exit.message);
    return exit.code;
  }
}
