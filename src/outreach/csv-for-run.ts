/**
 * A scheduled campaign's CSV may carry the run's date (`leads/{date}.csv`, `https://crm.example.com/{date}.csv`), so
 * each run calls that day's list. Pure and free of Node built-ins: workflow code calls it.
 *
 * Where the date comes from: a run started by a Temporal Schedule carries the search attribute
 * `TemporalScheduledStartTime` (the time the schedule meant it to start, even when it started late after an outage,
 * or early with `trigger`). In the TypeScript SDK 1.24 workflow code reads it with
 * `workflowInfo().typedSearchAttributes.get(defineSearchAttributeKey('TemporalScheduledStartTime',
 * SearchAttributeType.DATETIME))` (a `Date`, or undefined for a run no schedule started; the deprecated
 * `workflowInfo().searchAttributes.TemporalScheduledStartTime` holds the same as `[Date]`). The schedule's zone
 * reaches the run in its input (`scheduleTimeZone`), since the run cannot see the schedule's spec.
 */

const runDate = '{date}';

/** Whether `csv` names a different list for each run (`{date}`), so it cannot be checked before the run. */
export function carriesRunDate(csv: string): boolean {
  return csv.includes(runDate);
}

/**
 * `template` with every `{date}` replaced by the run's date, `YYYY-MM-DD`, in `timeZone` (an IANA zone; the
 * schedule's): a run scheduled for 00:30 in Kolkata on December 2 is 19:00 UTC on December 1, and calls the list
 * of December 2. A template without `{date}` is returned as it is.
 */
export function csvForRun(template: string, scheduledStartMs: number, timeZone = 'UTC'): string {
  if (!carriesRunDate(template)) return template;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(scheduledStartMs));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((each) => each.type === type)?.value ?? '';
  return template.replaceAll(runDate, `${part('year')}-${part('month')}-${part('day')}`);
}
