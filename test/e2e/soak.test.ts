import { installQuietRuntime } from '../support/quiet-runtime';
import { runSoak } from '../support/soak-run';
import type { SoakFigures } from '../support/soak-run';

/**
 * A small fault soak in the suite (the full one is `npm run soak`): campaigns at once on the dev server against a
 * simulator failing requests at the rates. Scripted faults on top make sure every kind happens at least
 * once, whatever the random draws (which requests get which roll depends on their arrival order, i.e. on timing):
 * a create whose answer is lost, a dropped upload, a 5xx, and two 429s. One asks for 6 s on a poll, whose own
 * backoff would retry after 2 s: only a retry that honours Retry-After waits it out.
 */

let figures: SoakFigures;

beforeAll(async () => {
  installQuietRuntime();
  figures = await runSoak({
    campaigns: 8,
    rowsPerCampaign: 4,
    seed: 11,
    rates: { serverErrorRate: 0.2, rateLimitRate: 0.05, dropRate: 0.02, lostResponseRate: 0.01 },
    retryAfterSeconds: { min: 1, max: 1 },
    scriptedFaults: [
      { method: 'POST', path: '/batches', kind: 'lost-response' },
      { method: 'POST', path: '/batches', kind: 'drop' },
      { method: 'POST', path: /\/schedule$/, kind: 'rate-limit', retryAfterSeconds: 1 },
      { method: 'GET', path: /^\/batches\/[0-9a-f]{32}$/, kind: 'rate-limit', retryAfterSeconds: 6 },
      { method: 'GET', path: /\/executions$/, kind: 'server-error' },
    ],
    // At these rates a campaign's time has a long tail: a retried create sends three requests (list, upload,
    // list), so 63% of its attempts fail, each waiting up to a minute of backoff. Typical runs take 1–3 minutes,
    // an unlucky one longer; a stuck campaign is caught sooner, by two minutes without a request to Bolna.
    deadlineMs: 600_000,
    quietLimitMs: 120_000,
  });
}, 660_000);

test('every campaign completes', () => {
  expect(figures.failed).toEqual([]);
  expect(figures.completed).toBe(8);
});

test('every kind of fault was injected, and Temporal retried through them', () => {
  for (const kind of ['server-error', 'rate-limit', 'drop', 'lost-response']) {
    expect({ kind, injected: (figures.faults[kind] ?? 0) > 0 }).toEqual({ kind, injected: true });
  }
  expect(figures.activityRetries).toBeGreaterThanOrEqual(4);
});

test('exactly one batch per campaign: no duplicate, and one create that took effect each', () => {
  expect(figures.batchesCreated).toBe(8);
  expect(figures.duplicates).toBe(0);
  expect(figures.campaignsWithoutExactlyOneCreate).toBe(0);
});

test('every CSV row came back as a result', () => {
  expect(figures.resultRows).toBe(figures.csvRows);
  expect(figures.csvRows).toBe(32);
});

test('no retry after a 429 came sooner than its Retry-After, a 6 s one included', () => {
  expect(figures.rateLimits.retried).toBeGreaterThanOrEqual(2);
  expect(figures.rateLimits.smallestMarginMs).toBeGreaterThanOrEqual(0);
  expect(figures.rateLimits.honoured).toBe(figures.rateLimits.retried);
  expect(figures.rateLimits.longestHonouredSeconds).toBeGreaterThanOrEqual(6);
});
