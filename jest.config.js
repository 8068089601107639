/** @type {import('jest').Config} */
module.exports = {
  // Four files at a time on a 2-core machine: the suite mostly waits (for a campaign's start, a poll, a server),
  // so two workers left the cores idle. Measured: 496 s with 4 workers (~0.9 cores busy on average) against 905 s
  // with 2 (docs/reliability.md#the-suite).
  maxWorkers: 4,
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // The ten slowest files are printed after every run (test/support/slowest-files.ts).
  reporters: ['default', '<rootDir>/test/support/slowest-files-reporter.js'],
  // Temporal servers and the simulator take a few seconds to start; each file owns its own.
  testTimeout: 60_000,
  transform: { '^.+\\.ts$': 'ts-jest' },
};
