import { Command } from 'commander';
import { goalOption, outreachFields, withOutreachOptions } from '../../src/cli/outreach-options';
import type { OutreachCliOptions } from '../../src/cli/outreach-options';

/** The options that make `start` an outreach campaign, parsed by Commander and turned into the input's fields. */

function parse(...args: string[]): OutreachCliOptions {
  const command = withOutreachOptions(new Command('start'), { deadline: true })
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  command.parse(args, { from: 'user' });
  return command.opts<OutreachCliOptions>();
}

test('no outreach option: no outreach fields (a plain batch campaign)', () => {
  expect(outreachFields(parse())).toBeUndefined();
});

test('every option lands in its field, typed', () => {
  const options = parse(
    ...['--retry', 'no-answer, busy', '--max-attempts', '4', '--retry-after', '90 minutes'],
    ...['--window', '9:00-19:30', '--days', 'Mon,TUE,fri', '--time-zone', 'Asia/Kolkata'],
    ...['--holidays', '2026-12-25,2027-01-01', '--deadline', '2026-12-10T18:00:00+05:30'],
    ...['--budget', '2500.5', '--goal', 'interested=true:50', '--max-calls-per-day', '2'],
    ...['--suppress', 'dnc.csv', '--suppress', 'https://lists.example.com/dnc.csv'],
  );
  expect(outreachFields(options)).toEqual({
    retry: { on: ['no-answer', 'busy'], maxAttempts: 4, after: '90 minutes' },
    window: {
      start: '09:00',
      end: '19:30',
      days: ['mon', 'tue', 'fri'],
      timeZone: 'Asia/Kolkata',
      holidays: ['2026-12-25', '2027-01-01'],
    },
    deadline: '2026-12-10T18:00:00+05:30',
    budget: { maxCost: 2500.5 },
    goal: { field: 'interested', equals: true, count: 50 },
    suppress: ['dnc.csv', 'https://lists.example.com/dnc.csv'],
    maxCallsPerNumberPerDay: 2,
  });
});

test('--retry alone calls three times in all, two hours apart', () => {
  expect(outreachFields(parse('--retry', 'no-answer'))).toEqual({
    retry: { on: ['no-answer'], maxAttempts: 3, after: '2h' },
  });
});

test('a qualifier without what it qualifies is refused, naming both', () => {
  expect(() => outreachFields(parse('--max-attempts', '3', '--days', 'mon', '--retry-after', '2h'))).toThrow(
    '--max-attempts needs --retry <statuses>\n--retry-after needs --retry <statuses>\n--days needs --window <HH:MM-HH:MM>',
  );
  expect(() => outreachFields(parse('--time-zone', 'recipient'))).toThrow('--time-zone needs --window');
  expect(() => outreachFields(parse('--holidays', '2026-12-25'))).toThrow('--holidays needs --window');
});

test.each([
  [['--window', '9-17'], /--window .* must be HH:MM-HH:MM in 24 h/],
  [['--window', '09:00 to 17:00'], /--window .* must be HH:MM-HH:MM/],
  [['--budget', 'lots'], /--budget .* must be a positive number/],
  [['--budget', '0'], /--budget .* must be a positive number/],
  [['--max-calls-per-day', '0'], /--max-calls-per-day .* must be a positive whole number/],
  [['--max-attempts', 'three'], /--max-attempts .* must be a positive whole number/],
  [['--goal', 'interested'], /--goal .* must be field=value:count/],
  [['--goal', 'interested=true'], /--goal .* must be field=value:count/],
  [['--goal', 'interested=true:lots'], /--goal .* must be field=value:count/],
])('%j is refused while parsing', (args, message) => {
  expect(() => parse(...args)).toThrow(message);
});

describe('--goal field=value:count', () => {
  test.each([
    ['interested=true:50', { field: 'interested', equals: true, count: 50 }],
    ['callback=false:3', { field: 'callback', equals: false, count: 3 }],
    ['score=4.5:10', { field: 'score', equals: 4.5, count: 10 }],
    ['outcome=booked:20', { field: 'outcome', equals: 'booked', count: 20 }],
    ['slot=10:30:5', { field: 'slot', equals: '10:30', count: 5 }],
    ['note=a=b:1', { field: 'note', equals: 'a=b', count: 1 }],
  ])('%s', (text, goal) => {
    expect(goalOption(text)).toEqual(goal);
  });
});

test('schedule has no --deadline: its runs all share one input', () => {
  const command = withOutreachOptions(new Command('schedule'), { deadline: false })
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  expect(() => command.parse(['--deadline', '2026-12-10T18:00:00Z'], { from: 'user' })).toThrow(
    /unknown option '--deadline'/,
  );
});
