import { withCallCounts, withRetryCount } from './activity-metrics';
import { getBatchActivity, stopBatchActivity } from './batch-control';
import { checkBolnaAccessActivity } from './check-access';
import { collectResultsActivity } from './collect-results';
import { createBatchActivity } from './create-batch';
import type { ActivityDeps } from './deps';
import { withFailureMapping } from './failures';
import { finishOutreachActivity } from './finish-outreach';
import { withHeartbeat } from './heartbeat';
import { measureWaveActivity } from './measure-wave';
import { planWaveActivity } from './plan-wave';
import { prepareOutreachActivity } from './prepare-outreach';
import { recordWaveActivity } from './record-wave';
import { scheduleBatchActivity } from './schedule-batch';
import { searchAttributesActivity } from './search-attributes';
import { validateCsvActivity } from './validate-csv';

export type { ActivityDeps } from './deps';

/**
 * The one assembly point of the campaign's activities: each lives in a file of its own with the dependencies it
 * needs. Every activity heartbeats while it runs, reports errors as typed ApplicationFailures and counts its
 * retries; the collection counts the calls it collected (src/temporal/metrics.ts).
 */
export function createActivities(deps: ActivityDeps) {
  const activity = <Args extends unknown[], Result>(fn: (...args: Args) => Promise<Result>) =>
    withFailureMapping(withHeartbeat(withRetryCount(fn)), deps.redactor);
  return {
    validateCsv: activity(validateCsvActivity(deps)),
    checkBolnaAccess: activity(checkBolnaAccessActivity(deps)),
    createBatch: activity(createBatchActivity(deps)),
    scheduleBatch: activity(scheduleBatchActivity(deps)),
    getBatch: activity(getBatchActivity(deps)),
    stopBatch: activity(stopBatchActivity(deps)),
    collectResults: activity(withCallCounts(collectResultsActivity(deps))),
    registeredSearchAttributes: activity(searchAttributesActivity(deps)),
    prepareOutreach: activity(prepareOutreachActivity(deps)),
    planWave: activity(planWaveActivity(deps)),
    recordWave: activity(recordWaveActivity(deps)),
    measureWave: activity(measureWaveActivity(deps)),
    finishOutreach: activity(finishOutreachActivity(deps)),
  };
}

export type CampaignActivities = ReturnType<typeof createActivities>;
