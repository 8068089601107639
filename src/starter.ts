#!/usr/bin/env node
import { exitCodes, runCli } from './cli';

/** The CLI entry, `bolna-campaign` (`npm run campaign -- <command>` in this repository); the CLI itself is in src/cli/. */
runCli(process.argv)
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(exitCodes.error);
  });
