import { Command } from 'commander';
import { campaignInput, pointInTime, withCampaignOptions } from '../../src/cli/options';
import type { CampaignCliOptions } from '../../src/cli/options';

/** The options `start` and `schedule` share, parsed by Commander and turned into the workflow input. */

function parse(...args: string[]): CampaignCliOptions {
  const command = withCampaignOptions(new Command('start'))
    .exitOverride()
    .configureOutput({
      writeErr: () => undefined,
    });
  command.parse(args, { from: 'user' });
  return command.opts<CampaignCliOptions>();
}

const agentId = '0b7c6a8e-2f4d-4e1a-9c3b-5d6e7f8a9b0c';

test('only what was given reaches the input', () => {
  expect(campaignInput(parse('--agent', agentId, '--csv', 'contacts.csv'))).toEqual({
    agentId,
    csv: 'contacts.csv',
  });
});

test('every option lands in its field, typed', () => {
  const options = parse(
    ...['--agent', agentId, '--csv', 'https://lists.example.com/dec.csv'],
    ...['--from', '+919876543210', '+919812345678', '--country', 'IN'],
    ...['--webhook-url', 'https://hooks.example.com/bolna'],
    ...['--retry-config', '{"enabled":true,"max_retries":2}', '--poll-interval', '15'],
  );
  expect(campaignInput(options)).toEqual({
    agentId,
    csv: 'https://lists.example.com/dec.csv',
    fromPhoneNumbers: ['+919876543210', '+919812345678'],
    defaultCountry: 'IN',
    webhookUrl: 'https://hooks.example.com/bolna',
    retryConfig: { enabled: true, max_retries: 2 },
    pollIntervalSeconds: 15,
  });
});

test.each([
  [['--poll-interval', '0'], /--poll-interval .* must be a positive whole number/],
  [['--poll-interval', '1.5'], /--poll-interval .* must be a positive whole number/],
  [['--retry-config', '{max_retries: 2}'], /--retry-config .* must be a JSON object/],
])('%j is refused while parsing', (extra, message) => {
  expect(() => parse('--agent', agentId, '--csv', 'contacts.csv', ...extra)).toThrow(message);
});

test('--agent and --csv are required', () => {
  expect(() => parse('--csv', 'contacts.csv')).toThrow(/required option '--agent <uuid>' not specified/);
  expect(() => parse('--agent', agentId)).toThrow(/required option '--csv <path-or-url>' not specified/);
});

describe('pointInTime (list --since/--until)', () => {
  const now = () => Date.parse('2026-12-02T12:00:00Z');

  test.each([
    ['a span before now', '90 minutes', '2026-12-02T10:30:00.000Z'],
    ['a short span', '7d', '2026-11-25T12:00:00.000Z'],
    ['a date, at UTC midnight', '2026-12-01', '2026-12-01T00:00:00.000Z'],
    ['a date-time with its offset', '2026-12-01T09:00:00+05:30', '2026-12-01T03:30:00.000Z'],
    ['a date-time in UTC', '2026-12-01T09:00Z', '2026-12-01T09:00:00.000Z'],
  ])('%s', (_, text, expected) => {
    expect(pointInTime(text, now).toISOString()).toBe(expected);
  });

  test.each([
    ['words', 'last tuesday'],
    ['a date-time without offset (whose zone?)', '2026-12-01T09:00'],
    ['an impossible date', '2026-02-30'],
    ['a negative span', '-2h'],
  ])('%s are refused with the forms it takes', (_, text) => {
    expect(() => pointInTime(text, now)).toThrow(/a date \(2026-12-01\).*a span like 2h/);
  });
});

test('a date that does not exist is refused in words, not moved to March', () => {
  expect(() => pointInTime('2026-02-30')).toThrow(/February 2026 has no day 30/);
});
