import type { ActivityDeps } from '../../src/activities';
import { BolnaClient } from '../../src/bolna/client';
import { bolnaScheduleRules } from '../../src/bolna/schedule-time';
import type { Clock } from '../../src/platform/clock';
import { Redactor } from '../../src/platform/redaction';
import { FolderStore } from '../../src/store/folder-store';
import { testApiKey, testCsvSources } from './constants';

/**
 * The activities' dependencies as tests wire them: Bolna's real rules, a redactor for the test key and the test
 * CSV policy, around the client, clock and results folder a test brings (kept there, as by default, unless the
 * overrides name another store). Override whatever the test is about.
 */
export function testActivityDeps(
  { bolna, clock, resultsDir }: Pick<ActivityDeps, 'bolna' | 'clock'> & { resultsDir: string },
  overrides: Partial<ActivityDeps> = {},
): ActivityDeps {
  return {
    rules: bolnaScheduleRules,
    redactor: new Redactor([testApiKey]),
    csvSources: testCsvSources,
    // The time-skipping server registers none; workers on the dev server ask it (see simulator-worker.ts).
    searchAttributes: () => Promise.resolve([]),
    bolna,
    clock,
    resultsStore: new FolderStore(resultsDir),
    ...overrides,
  };
}

export interface SimulatorActivityDepsOptions {
  /** The simulator's base URL. */
  bolnaUrl: string;
  /** The key the client sends (and the redactor takes out); default the one the test simulators accept. */
  apiKey?: string;
  clock: Clock;
  resultsDir: string;
}

/** The same, with a Bolna client for the simulator at `bolnaUrl`: the activities of a simulator-backed campaign. */
export function simulatorActivityDeps(
  { bolnaUrl, apiKey = testApiKey, clock, resultsDir }: SimulatorActivityDepsOptions,
  overrides: Partial<ActivityDeps> = {},
): ActivityDeps {
  return testActivityDeps(
    { bolna: new BolnaClient({ apiKey, baseUrl: bolnaUrl }), clock, resultsDir },
    { redactor: new Redactor([apiKey]), ...overrides },
  );
}
