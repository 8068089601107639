import { isBatchDone, pendingCalls } from '../../src/bolna/statuses';

/**
 * "Is the batch done?" from one poll: the status and the calls per status together, as Bolna's own batch monitor
 * decides it (failed and canceled are final too; executed may come before every call is final).
 */

test('stopped, failed and canceled batches are done, whatever their calls say', () => {
  for (const status of ['stopped', 'failed', 'canceled']) {
    expect(isBatchDone({ status, counts: { 'in-progress': 2, scheduled: 1 } })).toBe(true);
    expect(isBatchDone({ status, counts: {} })).toBe(true);
  }
});

test('a processed batch (completed or executed) is done only when no call is pending', () => {
  for (const status of ['completed', 'executed']) {
    expect(isBatchDone({ status, counts: { completed: 3, 'no-answer': 1, 'balance-low': 2 } })).toBe(true);
    expect(isBatchDone({ status, counts: {} })).toBe(true);
    for (const pending of [
      'prepared',
      'queued',
      'scheduled',
      'rescheduled',
      'initiated',
      'ringing',
      'in-progress',
      'call-disconnected',
    ]) {
      expect(isBatchDone({ status, counts: { completed: 3, [pending]: 1 } })).toBe(false);
    }
    // A status Bolna may add one day is not waited for: it would only be waited out until the deadline.
    expect(isBatchDone({ status, counts: { completed: 3, 'some-new-final-status': 1 } })).toBe(true);
    expect(isBatchDone({ status, counts: { completed: 3, scheduled: 0 } })).toBe(true);
  }
});

test('a batch created, scheduled, queued, running or in a status nobody documents is not done', () => {
  for (const status of ['created', 'scheduled', 'queued', 'running', 'paused', 'unknown']) {
    expect(isBatchDone({ status, counts: { completed: 3 } })).toBe(false);
  }
});

test('pending calls are counted across every pending status', () => {
  expect(pendingCalls({ completed: 4, scheduled: 2, 'call-disconnected': 1, ringing: 3, busy: 1 })).toBe(6);
  expect(pendingCalls({})).toBe(0);
});
