import { installQuietRuntime } from '../support/quiet-runtime';
import { runSoak } from '../support/soak-run';
import type { SoakFigures } from '../support/soak-run';

/**
 * A small fault soak in the suite (the full one is `npm run soak`: 50 campaigns at the rates): campaigns at
 * once on the dev server against a simulator failing a share of requests at random. Scripted faults on top make
 * sure every kind happens at least once, whatever the random draws (which requests get which roll depends on their
 * arrival order, i.e. on timing): a create whose answer is lost, a dropped upload, a 5xx, and two 429s. One asks
 * for 6 s on a poll, whose own backoff would retry after 2 s: only a retry that honours Retry-After waits it out.
 *
 * Four campaigns at a quarter of the rates: this proves the soak and its counts work, concurrent campaigns
 * and random faults included; it is not the soak. At the rates a retried create fails 63% of its attempts,
 * each waiting up to a minute of backoff, so eight campaigns took 1–5 minutes for the same checks; here a create's
 * attempt fails about one time in five.
 */

const campaigns = 4;
const rowsPerCampaign = 4;
let figures: SoakFigures;

beforeAll(async () => {
  installQuietRuntime();
  figures = await runSoak({
    campaigns,
    rowsPerCampaign,
    seed: 11,
    rates: { serverErrorRate: 0.05, rateLimitRate: 0.0125, dropRate: 0.005, lostResponseRate: 0.0025 },
    retryAfterSeconds: { min: 1, max: 1 },
    scriptedFaults: [
      { method: 'POST', path: '/batches', kind: 'lost-response' },
      { method: 'POST', path: '/batches', kind: 'drop' },
      { method: 'POST', path: /\/schedule$/, kind: 'rate-limit', retryAfterSeconds: 1 },
      { method: 'GET', path: /^\/batches\/[0-9a-f]{32}$/, kind: 'rate-limit', retryAfterSeconds: 6 },
      { method: 'GET', path: /\/executions$/, kind: 'server-error' },
    ],
    // A campaign's time still has a tail (a create's failed attempts each wait up to a minute of backoff); a stuck
    // campaign is caught sooner, by two minutes without a request to Bolna.
    deadlineMs: 600_000,
    quietLimitMs: 120_000,
  });
}, 660_000);

test('every campaign completes', () => {
  expect(figures.failed).toEqual([]);
  expect(figures.completed).toBe(campaigns);
});

test('every kind of fault was injected, and Temporal retried through them', () => {
  for (const kind of ['server-error', 'rate-limit', 'drop', 'lost-response']) {
    expect({ kind, injected: (figures.faults[kind] ?? 0) > 0 }).toEqual({ kind, injected: true });
  }
  expect(figures.activityRetries).toBeGreaterThanOrEqual(4);
});

test('exactly one batch per campaign: no duplicate, and one create that took effect each', () => {
  expect(figures.batchesCreated).toBe(campaigns);
  expect(figures.duplicates).toBe(0);
  expect(figures.campaignsWithoutExactlyOneCreate).toBe(0);
});

test('every CSV row came back as a result', () => {
  expect(figures.resultRows).toBe(figures.csvRows);
  expect(figures.csvRows).toBe(campaigns * rowsPerCampaign);
});

test('no retry after a 429 came sooner than its Retry-After, a 6 s one included', () => {
  expect(figures.rateLimits.retried).toBeGreaterThanOrEqual(2);
  expect(figures.rateLimits.smallestMarginMs).toBeGreaterThanOrEqual(0);
  expect(figures.rateLimits.honoured).toBe(figures.rateLimits.retried);
  expect(figures.rateLimits.longestHonouredSeconds).toBeGreaterThanOrEqual(6);
});
