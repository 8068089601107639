import type { ActivityDeps } from '../../src/activities';
import { bolnaScheduleRules } from '../../src/activities/schedule-time';
import { Redactor } from '../../src/redaction';
import { testApiKey, testCsvSources } from './constants';

/**
 * The activities' dependencies as tests wire them: Bolna's real rules, a redactor for the test key and the test
 * CSV policy, around the client, clock and folder a test brings. Override whatever the test is about.
 */
export function testActivityDeps(
  own: Pick<ActivityDeps, 'bolna' | 'clock' | 'resultsDir'>,
  overrides: Partial<ActivityDeps> = {},
): ActivityDeps {
  return {
    rules: bolnaScheduleRules,
    redactor: new Redactor([testApiKey]),
    csvSources: testCsvSources,
    ...own,
    ...overrides,
  };
}
