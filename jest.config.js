/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 2,
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
