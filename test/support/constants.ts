import { tmpdir } from 'node:os';
import type { CsvSourcePolicy } from '../../src/activities/csv-source';

/**
 * The values tests share. Keys look like Bolna's (`bn-…`) and are long enough that a search for them in histories,
 * logs and files cannot match by accident.
 */

/** The key the simulator accepts and the test workers hold. */
export const testApiKey = 'bn-test-secret-key-0123456789';
/** A key the simulator refuses (403), as secret as the right one. */
export const wrongApiKey = 'bn-wrong-but-still-secret-9876543210';
/** The agent the test campaigns call with (a UUID, as Bolna's are). */
export const testAgentId = '0b7c6a8e-2f4d-4e1a-9c3b-5d6e7f8a9b0c';
/** An agent the simulator does not own when it is given a list of owned agents. */
export const unknownAgentId = 'f0e1d2c3-b4a5-4968-8776-655443322110';

/** Bolna's rules shrunk for runs on real Temporal servers (5 s lead, 10 s rounding): a campaign takes seconds. */
export const fastRules = { minLeadMs: 5_000, roundingMs: 10_000 };

/**
 * Calls as long as real ones (10 s ringing, a minute's talk, Bolna's 2.5 minutes of post-processing), three at a
 * time: for the time-skipping server, where their length costs no real time.
 */
export const lifelikeCalls = { concurrency: 3, ringMs: 10_000, talkMs: 60_000, postProcessingMs: 150_000 };

/**
 * Calls of a few seconds, two at a time, three answered in four: a four-row batch runs for about 8 s, long enough for
 * a test to act while it runs (kill or stop a worker) and short enough to finish soon after.
 */
export const fewSecondCalls = {
  concurrency: 2,
  spacingMs: 200,
  dialMs: 300,
  ringMs: 500,
  talkMs: 2_000,
  postProcessingMs: 1_000,
  outcomes: { completed: 3, 'no-answer': 1 },
};

/** Three contacts in two countries, with a variable column. */
export const threeContactsCsv =
  'contact_number,name\n+919876543210,Asha\n+919812345678,Ravi\n+14155550123,Maria\n';

/** `rows` distinct valid Indian mobile numbers, each with a `first_name`. */
export function contactsCsv(rows: number): string {
  const lines = ['contact_number,first_name'];
  for (let i = 0; i < rows; i += 1) lines.push(`+9198765${String(43210 + i).padStart(5, '0')},Person ${i}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Where test workers may read CSVs from: tests write their lists under the system's temporary folder and serve
 * URLs from loopback servers, which production would refuse without BOLNA_CSV_ALLOWED_HOSTS.
 */
export const testCsvSources: CsvSourcePolicy = {
  allowedDirs: [tmpdir()],
  allowedHosts: ['127.0.0.1'],
  maxBytes: 1024 ** 3,
  downloadTimeoutMs: 600_000,
};
