/**
 * Every failure type a campaign can end with: the `type` of its ApplicationFailure, which operators see in the Web
 * UI and scripts match on. Declared once, here, with when it happens, whether Temporal retries it, and what to do.
 * Pure data with no imports, so workflow code may use it too. The table of failures in docs/failures.md is checked
 * against this catalogue by a test.
 */

export interface FailureInfo {
  /** When it happens. */
  when: string;
  /** Whether Temporal retries the step (a retryable failure ends a campaign only when the step runs out of time). */
  retried: boolean;
  /** What the person who sees it should do. */
  action: string;
}

const catalogue = {
  InvalidCampaignInput: {
    when: 'the campaign input is wrong (each wrong field is named), or a start carries `resume`',
    retried: false,
    action: 'correct the input and start the campaign again',
  },
  CsvValidationError: {
    when: 'the CSV has problems (each names its line and column)',
    retried: false,
    action: 'fix the rows named and start again',
  },
  CsvSourceError: {
    when: 'the CSV cannot be read or downloaded (missing file, HTTP error, unreachable host)',
    retried: true,
    action:
      'retried while it may pass (timeouts, 5xx); a missing file, 4xx or unknown host fails at once: fix the path or URL',
  },
  CsvSourceRefused: {
    when: 'the CSV path is outside BOLNA_CSV_DIRS (or under /proc, /sys, /dev), or its URL leads to a private or metadata address',
    retried: false,
    action: 'move the file into an allowed folder, or allow the host with BOLNA_CSV_ALLOWED_HOSTS',
  },
  CsvTooLarge: {
    when: 'the CSV download is larger than BOLNA_CSV_MAX_BYTES',
    retried: false,
    action: 'split the list, or raise BOLNA_CSV_MAX_BYTES on the workers',
  },
  CsvDownloadTimedOut: {
    when: 'the CSV download took longer than BOLNA_CSV_DOWNLOAD_TIMEOUT_SECONDS',
    retried: false,
    action: 'serve it faster, or raise BOLNA_CSV_DOWNLOAD_TIMEOUT_SECONDS',
  },
  CsvChanged: {
    when: 'the file the worker read is not the one the starter checked (its SHA-256 differs)',
    retried: false,
    action: 'start again once the file stops changing (or pass --csv-on-worker for a worker-only path)',
  },
  UnknownAgent: {
    when: 'Bolna has no such agent on the account',
    retried: false,
    action: 'check the agent id',
  },
  BolnaBadRequestError: {
    when: 'Bolna refused a request as malformed (400/422), e.g. a start it keeps finding too soon',
    retried: false,
    action: "read Bolna's message in the failure",
  },
  BolnaAuthError: {
    when: 'Bolna refused the API key (401/403); after the batch exists, only after keyRefusedRetryMinutes of retries',
    retried: false,
    action: 'restart the workers with a valid BOLNA_API_KEY',
  },
  BolnaNotFoundError: {
    when: 'Bolna does not know the batch (404), e.g. someone deleted it',
    retried: false,
    action: "check the batch in Bolna's dashboard",
  },
  BolnaRateLimitedError: {
    when: "over Bolna's rate limit (429)",
    retried: true,
    action: "nothing: retried after Bolna's Retry-After",
  },
  BolnaServerError: {
    when: 'Bolna failed (5xx)',
    retried: true,
    action: 'nothing while it passes; an outage longer than the step allows fails the campaign',
  },
  BolnaConnectionError: {
    when: 'Bolna could not be reached (refused, reset, DNS, timeout)',
    retried: true,
    action: 'check BOLNA_BASE_URL and the network if it lasts',
  },
  BolnaProtocolError: {
    when: 'Bolna answered something its API does not document (not JSON, a missing field)',
    retried: false,
    action: 'report it with the failure message',
  },
  ScheduleTooSoon: {
    when: "Bolna found the start too soon (the request came late, or Bolna's clock is ahead of the worker's)",
    retried: true,
    action: 'nothing: retried with a later start each time, as often as Bolna refuses',
  },
  StartMissed: {
    when: "a wave's batch could not be scheduled to start by its `startBy` (its calling window closes first)",
    retried: false,
    action: 'nothing: the wave ends without calls and its contacts go back to pending for the next wave',
  },
  WorkerShutdown: {
    when: 'the worker running a step shut down (SIGTERM, a deploy) and the step outlasted its shutdown grace',
    retried: true,
    action: 'nothing: another worker takes the step over at once',
  },
  CampaignFailed: {
    when: 'a failure without a type of its own ended a campaign whose batch existed',
    retried: false,
    action: 'read the message: it says what was left at Bolna',
  },
  CorruptCampaignState: {
    when: 'a continued run lacks state it needs (a bug)',
    retried: false,
    action: 'report it; the batch id is in `progress`',
  },
} satisfies Record<string, FailureInfo>;

export type FailureType = keyof typeof catalogue;

export const failureCatalogue: Readonly<Record<FailureType, FailureInfo>> = catalogue;

/** Each failure type as a constant named after itself: `failureTypes.CsvTooLarge === 'CsvTooLarge'`. */
export const failureTypes = Object.fromEntries(Object.keys(catalogue).map((type) => [type, type])) as {
  readonly [Type in FailureType]: Type;
};
