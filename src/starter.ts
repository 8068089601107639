import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import { CancelledFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { InvalidCampaignInputError } from './campaign-input';
import { ConfigError, loadConfig } from './config';
import { connectClient, findCampaign, scheduleCampaign, startCampaign, stopCampaign } from './campaigns';
import { describeProgress, describeResult, describeStop, watchCampaign } from './cli-output';
import { CsvValidationError } from './csv';
import { progressQuery } from './workflows/definitions';
import type { CampaignInput, CampaignResult } from './workflows/definitions';

export { scheduleCampaign, startCampaign } from './campaigns';

/**
 * The campaign CLI: `start`, `schedule`, `status`, `watch`, `stop`, `results`. Human output by default, `--json` for scripts.
 * Exit codes are stable so scripts can branch on them.
 */
export const exitCodes = {
  ok: 0,
  /** Something unexpected (Temporal unreachable, a bug). */
  error: 1,
  /** Bad arguments, configuration or CSV: nothing was started. */
  invalidInput: 2,
  notFound: 3,
  /** A campaign with that name already ran or is running. */
  alreadyExists: 4,
  /** The campaign ended stopped (by `stop` or cancellation). */
  stopped: 5,
  /** The campaign's workflow failed, was terminated or timed out. */
  failed: 6,
  /** The batch was still running at the campaign's running deadline, so it was stopped (results collected). */
  timedOut: 7,
} as const;

class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
};

const jsonObject = (value: string) => {
  try {
    return JSON.parse(value) as CampaignInput['retryConfig'];
  } catch {
    throw new InvalidArgumentError('must be a JSON object');
  }
};

function print(json: boolean, value: unknown, human: string): void {
  console.log(json ? JSON.stringify(value, null, 2) : human);
}

function exitCodeOf(result: CampaignResult): number {
  const codes: Record<CampaignResult['outcome'], number> = {
    completed: exitCodes.ok,
    stopped: exitCodes.stopped,
    'timed-out': exitCodes.timedOut,
  };
  return codes[result.outcome];
}

async function resultOf(client: Client, campaign: string): Promise<CampaignResult> {
  const handle = await findCampaign(client, campaign);
  try {
    return await handle.result();
  } catch (error) {
    if (error instanceof WorkflowFailedError && error.cause instanceof CancelledFailure) {
      // Cancelling does the same cleanup as `stop` (batch stopped, results collected): report it the same way.
      throw new CliExit(
        exitCodes.stopped,
        `Campaign ${handle.workflowId} was cancelled; its batch was stopped`,
      );
    }
    if (error instanceof WorkflowFailedError) {
      throw new CliExit(
        exitCodes.failed,
        `Campaign ${handle.workflowId} did not complete: ${String(error.cause?.message ?? error.message)}`,
      );
    }
    throw error;
  }
}

interface CampaignCliOptions {
  agent: string;
  csv: string;
  name?: string;
  from?: string[];
  country?: string;
  webhookUrl?: string;
  retryConfig?: CampaignInput['retryConfig'];
  pollInterval?: number;
  csvOnWorker?: boolean;
  json?: boolean;
}

/** The options `start` and `schedule` share: what to call, whom, and how. */
function withCampaignOptions(command: Command): Command {
  return command
    .requiredOption('--agent <uuid>', 'Bolna agent that makes the calls')
    .requiredOption(
      '--csv <path-or-url>',
      'contact list with a contact_number column (a path the worker can read, or a URL)',
    )
    .option(
      '--csv-on-worker',
      "the --csv path exists only on the worker's host: send it as given, without checking it here",
    )
    .option('--name <name>', 'campaign name; the workflow ID is campaign-<name> (default: the CSV file name)')
    .option('--from <numbers...>', 'caller IDs for Bolna to use')
    .option('--country <code>', 'country for numbers written without +, e.g. IN')
    .option('--webhook-url <url>', 'Bolna POSTs the batch here when it finishes')
    .option('--retry-config <json>', "Bolna's own per-call retry_config, as JSON", jsonObject)
    .option('--poll-interval <seconds>', 'how often to poll the running batch', positiveInt)
    .option('--json', 'machine-readable output');
}

function campaignInput(options: CampaignCliOptions): CampaignInput {
  return {
    agentId: options.agent,
    csv: options.csv,
    ...(options.from ? { fromPhoneNumbers: options.from } : {}),
    ...(options.country ? { defaultCountry: options.country } : {}),
    ...(options.webhookUrl ? { webhookUrl: options.webhookUrl } : {}),
    ...(options.retryConfig ? { retryConfig: options.retryConfig } : {}),
    ...(options.pollInterval ? { pollIntervalSeconds: options.pollInterval } : {}),
  };
}

/** Commander ignores what actions return; this records their exit code instead. */
type Action<Args extends unknown[]> = (...args: Args) => Promise<number>;

export function buildCli(
  connect: () => Promise<Client> = connectClient,
  setExitCode: (code: number) => void = (code) => (process.exitCode = code),
): Command {
  const exits =
    <Args extends unknown[]>(action: Action<Args>) =>
    async (...args: Args) =>
      setExitCode(await action(...args));
  const program = new Command('campaign')
    .description('Run Bolna batch-calling campaigns as durable Temporal workflows')
    .showHelpAfterError();

  withCampaignOptions(
    program
      .command('start')
      .description('validate the CSV here, then start a campaign (refused if one with that name exists)')
      .option('--start-at <iso8601>', 'earliest start, any offset, e.g. 2026-12-01T10:00:00+05:30')
      .option('--watch', 'follow progress until the campaign ends'),
  ).action(
    exits(async (options: CampaignCliOptions & { startAt?: string; watch?: boolean }) => {
      const config = loadConfig();
      const client = await connect();
      const started = await startCampaign({
        client,
        input: { ...campaignInput(options), ...(options.startAt ? { startAt: options.startAt } : {}) },
        taskQueue: config.taskQueue,
        validateLocally: !options.csvOnWorker,
        ...(options.name ? { name: options.name } : {}),
      });
      const json = Boolean(options.json);
      const rows = started.csv ? `, ${started.csv.rows} contacts` : '';
      const startedJson = { workflowId: started.workflowId, rows: started.csv?.rows };
      if (!options.watch) {
        print(json, startedJson, `Started ${started.workflowId}${rows}`);
        return exitCodes.ok;
      }
      // One JSON document for scripts: what started and how it ended.
      if (!json) console.log(`Started ${started.workflowId}${rows}`);
      await watchCampaign(started.handle);
      const result = await resultOf(client, started.workflowId);
      print(json, { ...startedJson, result }, describeResult(result));
      return exitCodeOf(result);
    }),
  );

  withCampaignOptions(
    program
      .command('schedule')
      .description('run a campaign on a recurring Temporal Schedule (each run is its own campaign)')
      .requiredOption('--cron <expression...>', "when to run, e.g. '0 10 * * MON-FRI'")
      .option('--timezone <iana>', 'time zone of the cron, e.g. Asia/Kolkata (default UTC)'),
  ).action(
    exits(async (options: CampaignCliOptions & { cron: string[]; timezone?: string }) => {
      const config = loadConfig();
      const scheduled = await scheduleCampaign({
        client: await connect(),
        input: campaignInput(options),
        cron: options.cron,
        taskQueue: config.taskQueue,
        validateLocally: !options.csvOnWorker,
        ...(options.timezone ? { timezone: options.timezone } : {}),
        ...(options.name ? { name: options.name } : {}),
      });
      print(
        Boolean(options.json),
        { scheduleId: scheduled.scheduleId },
        `Scheduled ${scheduled.scheduleId} (${options.cron.join(', ')}); manage it with 'temporal schedule'`,
      );
      return exitCodes.ok;
    }),
  );

  program
    .command('status <campaign>')
    .description("show a campaign's phase, batch and call counts (campaign name or workflow ID)")
    .option('--json', 'machine-readable output')
    .action(
      exits(async (campaign: string, options: { json?: boolean }) => {
        const handle = await findCampaign(await connect(), campaign);
        const progress = await handle.query(progressQuery);
        print(Boolean(options.json), progress, `${handle.workflowId}: ${describeProgress(progress)}`);
        return exitCodes.ok;
      }),
    );

  program
    .command('watch <campaign>')
    .description('follow a campaign live until it ends, then print its results')
    .option('--json', 'machine-readable output at the end')
    .action(
      exits(async (campaign: string, options: { json?: boolean }) => {
        const client = await connect();
        await watchCampaign(await findCampaign(client, campaign));
        const result = await resultOf(client, campaign);
        print(Boolean(options.json), result, describeResult(result));
        return exitCodeOf(result);
      }),
    );

  program
    .command('stop <campaign>')
    .description('stop a campaign in any phase; calls made so far are still collected')
    .option('--reason <text>', 'recorded in the campaign state and result')
    .option('--json', 'machine-readable output')
    .action(
      exits(async (campaign: string, options: { reason?: string; json?: boolean }) => {
        const stopped = await stopCampaign(await findCampaign(await connect(), campaign), options.reason);
        print(Boolean(options.json), stopped, describeStop(stopped));
        return exitCodes.ok;
      }),
    );

  program
    .command('results <campaign>')
    .description('wait for a campaign to end and print its summary and where the per-call results are')
    .option('--json', 'machine-readable output')
    .action(
      exits(async (campaign: string, options: { json?: boolean }) => {
        const result = await resultOf(await connect(), campaign);
        print(Boolean(options.json), result, describeResult(result));
        return exitCodeOf(result);
      }),
    );

  return program;
}

/** Maps what went wrong to an exit code and a message a person can act on. */
function failureExit(error: unknown): CliExit {
  if (error instanceof CliExit) return error;
  // RangeError: a bad --start-at or --country, caught before anything started.
  if (
    error instanceof CsvValidationError ||
    error instanceof ConfigError ||
    error instanceof InvalidCampaignInputError ||
    error instanceof RangeError
  ) {
    return new CliExit(exitCodes.invalidInput, error.message);
  }
  if (error instanceof WorkflowNotFoundError) return new CliExit(exitCodes.notFound, error.message);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EACCES') {
    const path = (error as NodeJS.ErrnoException).path ?? '';
    return new CliExit(
      exitCodes.invalidInput,
      `Cannot read '${path}': ${code === 'ENOENT' ? 'no such file' : 'permission denied'}`,
    );
  }
  if (error instanceof WorkflowExecutionAlreadyStartedError) {
    return new CliExit(
      exitCodes.alreadyExists,
      `Campaign ${error.workflowId} already exists; it is refused rather than run twice. Pick another --name.`,
    );
  }
  return new CliExit(exitCodes.error, error instanceof Error ? error.message : String(error));
}

/** Runs the CLI and resolves to the process exit code. */
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

if (require.main === module) {
  runCli(process.argv)
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(exitCodes.error);
    });
}
