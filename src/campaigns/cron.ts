import type { FieldProblem } from '../inputs/campaign-input';
import { ianaTimeZoneProblem } from '../inputs/outreach-input';

/**
 * Temporal's cron grammar, checked here so a wrong `--cron` is refused before anything connects, with words that
 * name the field. The server is the authority; this follows its parser (service/worker/scheduler/calendar.go and
 * spec.go of the 1.32 line) rule for rule, and test/campaigns/cron.test.ts holds the two to the same verdicts on
 * a real server. What it accepts:
 *
 * - an optional `TZ=<zone>` or `CRON_TZ=<zone>` before the fields, and an optional `# comment` after them;
 * - `@every <duration>[/<phase>]` (Go durations plus `d`: `@every 12h`, `@every 1d/2h`);
 * - `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`;
 * - 5 fields (minute hour day-of-month month day-of-week), 6 (… year) or 7 (second minute … year), each a list
 *   of `*`, `x`, `x-z`, `x-z/step` or `x/step`; months and weekdays also by name (`JAN`, `MON`), Sunday as 0 or 7.
 */

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: { list: readonly string[]; shortest: number; first: number; example: string };
}

const months = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const second: FieldRule = { name: 'second', min: 0, max: 59 };
const minute: FieldRule = { name: 'minute', min: 0, max: 59 };
const hour: FieldRule = { name: 'hour', min: 0, max: 23 };
const dayOfMonth: FieldRule = { name: 'day of month', min: 1, max: 31 };
const month: FieldRule = {
  name: 'month',
  min: 1,
  max: 12,
  names: { list: months, shortest: 3, first: 1, example: 'JAN' },
};
const dayOfWeek: FieldRule = {
  name: 'day of week',
  min: 0,
  max: 7,
  names: { list: weekdays, shortest: 2, first: 0, example: 'MON' },
};
// Temporal's calendar ends in 2100 ("if you're still using Temporal in 2100 please change this constant").
const year: FieldRule = { name: 'year', min: 2000, max: 2100 };

const fieldsByCount: Readonly<Record<number, readonly FieldRule[]>> = {
  5: [minute, hour, dayOfMonth, month, dayOfWeek],
  6: [minute, hour, dayOfMonth, month, dayOfWeek, year],
  7: [second, minute, hour, dayOfMonth, month, dayOfWeek, year],
};

const predefined: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const maxCommentLength = 200;
const example = "e.g. '0 10 * * MON-FRI'";

/**
 * Why Temporal would refuse these cron expressions (read in `timezone`, if given): `cron.<index>` for one
 * expression, `cron` for what they get wrong together. Empty when the server would take them.
 */
export function cronProblems(expressions: readonly string[], timezone?: string): FieldProblem[] {
  if (expressions.length === 0) {
    return [{ field: 'cron', value: expressions, problem: `needs at least one cron expression, ${example}` }];
  }
  const zones = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const [index, expression] of expressions.entries()) {
    const { zone, problem } = checkExpression(expression);
    if (problem) problems.push({ field: `cron.${index}`, value: expression, problem });
    zones.add(zone);
  }
  if (problems.length > 0) return problems;
  // Temporal reads every expression of a schedule in one zone: their TZ= prefixes (or their absence) must agree,
  // and with the schedule's own time zone when both are set.
  const [zone] = [...zones];
  const together =
    zones.size > 1
      ? 'all expressions must name the same TZ= (or none)'
      : zone && timezone !== undefined && zone !== timezone
        ? `TZ=${zone} conflicts with the schedule's time zone ${timezone}; set only one`
        : undefined;
  return together ? [{ field: 'cron', value: expressions, problem: together }] : [];
}

/**
 * The zone the schedule reads these expressions in when it has none of its own: the `TZ=` they name (they agree,
 * once `cronProblems` took them), or undefined.
 */
export function cronTimeZone(expressions: readonly string[]): string | undefined {
  return expressions.map((expression) => checkExpression(expression).zone).find((zone) => zone !== '');
}

function checkExpression(expression: string): { zone: string; problem?: string } {
  let text = expression.trim();
  let zone = '';
  if (text.startsWith('TZ=') || text.startsWith('CRON_TZ=')) {
    const space = text.indexOf(' ');
    if (space < 0) return { zone, problem: `names a time zone but no fields, ${example}` };
    zone = text.slice(text.indexOf('=') + 1, space);
    text = text.slice(space + 1);
    const zoneProblem = zone === '' ? undefined : ianaTimeZoneProblem(zone);
    if (zoneProblem) return { zone, problem: `TZ=${zone} ${zoneProblem}` };
  }
  const hash = text.indexOf('#');
  const comment = hash < 0 ? '' : text.slice(hash + 1).trim();
  text = (hash < 0 ? text : text.slice(0, hash)).trim();
  if (text.startsWith('@every')) {
    const problem = intervalProblem(text);
    return problem ? { zone, problem } : { zone };
  }
  text = predefined[text] ?? text;
  const fields = text.split(/\s+/).filter((field) => field !== '');
  const rules = fieldsByCount[fields.length];
  if (!rules) {
    return {
      zone,
      problem:
        `has ${fields.length} field(s); a cron has 5 (minute hour day-of-month month day-of-week), 6 (… year) ` +
        `or 7 (second … year), ${example}, or is @daily, @hourly, @every 12h, …`,
    };
  }
  for (const [index, field] of fields.entries()) {
    const problem = fieldProblem(field, rules[index]!);
    if (problem) return { zone, problem };
  }
  if (comment.length > maxCommentLength)
    return { zone, problem: `comment is over ${maxCommentLength} characters` };
  return { zone };
}

function intervalProblem(text: string): string | undefined {
  const space = text.indexOf(' ');
  if (space < 0) return 'needs a duration after @every, e.g. @every 12h';
  const [intervalText, phaseText] = splitOnce(text.slice(space + 1), '/');
  const interval = goDurationMs(intervalText);
  if (interval === undefined) return `@every '${intervalText}' must be a duration such as 90m, 12h or 1d`;
  if (interval < 1000) return '@every must be at least 1s';
  if (phaseText === undefined) return undefined;
  const phase = goDurationMs(phaseText);
  if (phase === undefined) return `@every's phase '${phaseText}' must be a duration such as 30m`;
  if (phase < 0) return "@every's phase must not be negative";
  if (phase >= interval) return "@every's phase must be shorter than its interval";
  return undefined;
}

function fieldProblem(field: string, rule: FieldRule): string | undefined {
  if (field === '*') return undefined;
  const range = `${rule.min}-${rule.max}${rule.names ? ` or a name such as ${rule.names.example}` : ''}`;
  for (const part of field.split(',')) {
    const slashes = part.split('/').length - 1;
    if (slashes > 1) return `${rule.name} '${part}' has more than one '/'`;
    const [span, stepText] = splitOnce(part, '/');
    if (stepText !== undefined && !(wholeNumber(stepText) >= 1)) {
      return `${rule.name} '${part}': the step after '/' must be a whole number of at least 1`;
    }
    if (span === '*') continue;
    if (span.includes('-')) {
      const [startText, endText = ''] = splitOnce(span, '-');
      if (endText.includes('-')) return `${rule.name} '${part}' has more than one '-'`;
      const start = value(startText, rule, rule.min);
      if (start === undefined) return `${rule.name} '${part}' must start at ${range}`;
      if (value(endText, rule, start) === undefined) {
        return `${rule.name} '${part}' must end at ${range}, not before its start`;
      }
    } else if (value(span, rule, rule.min) === undefined) {
      return `${rule.name} '${part}' must be ${range}`;
    }
  }
  return undefined;
}

/** A field's value between `min` and the rule's max: a number, or (for months and weekdays) a name's prefix. */
function value(text: string, rule: FieldRule, min: number): number | undefined {
  const { names } = rule;
  let found = wholeNumber(text);
  if (names && text.length >= names.shortest) {
    const index = names.list.findIndex((name) => name.startsWith(text.toLowerCase()));
    if (index >= 0) found = index + names.first;
  }
  return found >= min && found <= rule.max ? found : undefined;
}

/** A number as Go's strconv.Atoi reads one (an optional sign, then digits), or NaN. */
function wholeNumber(text: string): number {
  return /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

const goUnitsMs: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** A duration as Temporal's server reads one (Go's time.ParseDuration, plus `d` for 24 hours), in ms. */
function goDurationMs(text: string): number | undefined {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '');
  if (body === '0') return 0;
  const term = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/y;
  let total = 0;
  let at = 0;
  while (at < body.length) {
    term.lastIndex = at;
    const match = term.exec(body);
    if (!match) return undefined;
    total += Number(match[1]) * goUnitsMs[match[2]!]!;
    at = term.lastIndex;
  }
  return at === 0 ? undefined : sign * total;
}
