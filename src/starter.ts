#!/usr/bin/env node
import { exitCodes, runCli } from './cli';

/** The CLI entry (`npm run campaign -- <command>`); the CLI itself is in src/cli/. */
runCli(process.argv)
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(exitCodes.error);
  });
