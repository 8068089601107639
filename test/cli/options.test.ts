import { Command } from 'commander';
import { campaignInput, withCampaignOptions } from '../../src/cli/options';
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
