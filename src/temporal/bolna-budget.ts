/**
 * Bolna's rate limit (about 1,000 requests a minute for a whole organisation) as a budget every worker shares.
 * Nothing in a worker process can count another process's requests, but the Temporal server can: it limits how
 * many activities start per second on a task queue, across every worker polling it (`maxTaskQueueActivitiesPerSecond`).
 * So the activities that call Bolna run on task queues of their own, and each queue's start rate is set so that
 * its activities' requests fit in its share of the budget:
 *
 * - polls (`getBatch`, one request each) get a quarter of the budget on their own queue. However many campaigns are
 *   polling, they can never take more than that, so a flood of polls never delays a create, stop or collection;
 * - everything else (access checks, creates, schedules, stops, collections) gets the other three quarters, counted
 *   as `requestsPerCallActivity` requests per activity: the most any of them makes on its usual path.
 *
 * Retries are activity starts too, so they are inside the budget.
 */

/** The most requests one activity on the calls queue makes on its usual path (create: list, upload, list again). */
export const requestsPerCallActivity = 3;

/** The share of the budget polls may use; the rest is for the steps that change or collect a batch. */
const pollShare = 1 / 4;

/** Default budget: under Bolna's 1,000 a minute, leaving room for the account's other users of the API. */
export const defaultBolnaRequestsPerMinute = 900;

export interface BolnaQueueRates {
  /** Activity starts per second on the calls queue (access checks, creates, schedules, stops, collections). */
  callsPerSecond: number;
  /** Activity starts per second on the polls queue (one request each). */
  pollsPerSecond: number;
}

/**
 * The start rates that keep a minute's requests within `requestsPerMinute`. The server lets a queue start about a
 * second's worth of activities at once after a quiet spell, so a minute may hold 61 seconds' worth: the rates are
 * set for 61 seconds, not 60.
 */
export function bolnaQueueRates(requestsPerMinute: number): BolnaQueueRates {
  const perSecond = requestsPerMinute / 61;
  return {
    callsPerSecond: (perSecond * (1 - pollShare)) / requestsPerCallActivity,
    pollsPerSecond: perSecond * pollShare,
  };
}
