import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CampaignReport } from '../../src/report/report-data';
import { writeCampaignReport } from '../../src/report/write-report';
import type { CampaignFacts } from '../../src/report/write-report';

/**
 * writeCampaignReport on a known set of executions: the figures of report.json, a report.html that needs nothing
 * from outside and draws each chart, no personal data in either, and files written owner-only and whole.
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campaign-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const at = (minutes: number, seconds = 0) =>
  new Date(Date.parse('2026-06-23T12:00:00Z') + (minutes * 60 + seconds) * 1000).toISOString();

/** Personal data in the executions; none of it may reach the report. */
const personal = [
  'Asha',
  'Ravi Kumar',
  '+919876543210',
  '+91 98765 43210',
  '919876543210',
  'asha@example.com',
  'Pune',
];
const hostileValue = '<img src=x onerror=alert(1)>';

function execution(id: number, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    id: `exec-${id}`,
    batch_id: 'batch-1',
    created_at: at(id),
    updated_at: at(id, 90),
    telephony_data: { to_number: '+919876543210', from_number: '+14155550100' },
    transcript: 'assistant: Hello Asha, your number +919876543210 is on file.',
    context_details: { recipient_data: { contact_number: '+919876543210', name: 'Asha' } },
    ...fields,
  };
}

const executions = [
  execution(1, {
    status: 'completed',
    answered_by_voice_mail: false,
    conversation_duration: 65,
    total_cost: 12.5,
    extracted_data: {
      interested: true,
      callback_day: 'monday',
      budget: 5000,
      notes: 'She would like a call back after the festival, in the evening',
      phone: '+91 98765 43210',
      email: 'asha@example.com',
      name: 'Asha',
      mood: hostileValue,
    },
  }),
  // Bolna's other name for the duration; extracted data sent as JSON text; a number sent as text.
  execution(2, {
    status: 'completed',
    conversation_time: 125,
    total_cost: 20,
    extracted_data:
      '{"interested": false, "callback_day": "monday", "budget": "5000", "mood": "<img src=x onerror=alert(1)>"}',
  }),
  // No duration and no cost.
  execution(3, {
    status: 'completed',
    answered_by_voice_mail: false,
    extracted_data: {
      interested: true,
      callback_day: 'monday',
      budget: 12000.5,
      callback_number: 919876543210,
      mood: hostileValue,
    },
  }),
  execution(4, {
    status: 'completed',
    answered_by_voice_mail: false,
    conversation_duration: 5,
    total_cost: 3,
    extracted_data: { interested: null, callback_day: 'Ravi Kumar', address: { city: 'Pune' }, tags: ['a'] },
  }),
  execution(5, {
    status: 'completed',
    answered_by_voice_mail: true,
    conversation_duration: 20,
    total_cost: 4,
    extracted_data: null,
  }),
  execution(6, { status: 'no-answer', conversation_duration: 0, total_cost: 0 }),
  execution(7, { status: 'busy', conversation_duration: 0, total_cost: 0 }),
  execution(8, {
    status: 'balance-low',
    telephony_data: null,
    total_cost: null,
    error_message: 'Wallet balance too low',
  }),
  execution(9, { status: 'failed', total_cost: 0, updated_at: null }),
  // Still queued when a stopped campaign was collected: an outcome of its own, not ended.
  execution(10, { status: 'queued', telephony_data: null, total_cost: 0 }),
  execution(11, { status: 'error', total_cost: 0, extracted_data: 'the customer said yes' }),
];

const facts: CampaignFacts = {
  workflowId: 'campaign-december',
  agentId: '0b7c6a8e-2f4d-4e1a-9c3b-5d6e7f8a9b0c',
  batchIds: ['batch-1'],
  batchStatus: 'completed',
  rows: 13,
  missingRows: 1,
  droppedRows: 1,
  warnings: ["Bolna reports batch status 'paused', which its docs do not list"],
};

async function executionsFile(name: string, lines: string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

async function knownReport() {
  const lines = executions.map((item) => JSON.stringify(item));
  // A line cut short, a blank line, and a JSON object that is no execution.
  lines.splice(3, 0, '{"id": "exec-x", "status": "compl', '', '{"status": "completed"}');
  const file = await executionsFile('executions.jsonl', lines);
  const generatedAt = new Date('2026-06-23T13:00:00Z');
  return writeCampaignReport({
    executionsFiles: [file],
    campaign: facts,
    outputDir: join(dir, 'out'),
    generatedAt,
  });
}

test('report.json: outcomes, cost, talk time, timeline and campaign facts of a known set of calls', async () => {
  const { jsonPath, report } = await knownReport();
  expect(JSON.parse(await readFile(jsonPath, 'utf8'))).toEqual(report);

  expect(report.generatedAt).toBe('2026-06-23T13:00:00.000Z');
  expect(report.calls).toEqual({ total: 11, unreadableLines: 2 });
  expect(report.outcomes.map(({ outcome, calls }) => [outcome, calls])).toEqual([
    ['answered', 4],
    ['voicemail', 1],
    ['no-answer', 1],
    ['busy', 1],
    ['failed', 1],
    ['balance-low', 1],
    ['error', 1],
    ['queued', 1],
  ]);
  expect(report.outcomes[0]!.share).toBeCloseTo(4 / 11);

  expect(report.cost).toEqual({ totalCents: 39.5, perAnsweredCallCents: 9.875, callsWithoutCost: 2 });

  expect(report.talkTime).toEqual({
    answeredCalls: 4,
    withoutDuration: 1,
    totalSeconds: 195,
    meanSeconds: 65,
    medianSeconds: 65,
    minSeconds: 5,
    maxSeconds: 125,
    // 0–125 s in at most 24 bins: 10-second bins, every one from 0 to the last.
    bins: Array.from({ length: 13 }, (_, i) => ({
      fromSeconds: i * 10,
      toSeconds: i * 10 + 10,
      calls: [0, 6, 12].includes(i) ? 1 : 0,
    })),
  });

  const { timeline } = report;
  // 12:01 to 12:12:30 fits 48 buckets of 30 s.
  expect(timeline.bucketSeconds).toBe(30);
  expect(timeline.buckets[0]).toMatchObject({ start: at(1), end: at(1, 30), placed: 1, ended: {} });
  expect(timeline.buckets[timeline.buckets.length - 1]!.start).toBe(at(12, 30));
  const placed = timeline.buckets.reduce((sum, bucket) => sum + bucket.placed, 0);
  const ended: Record<string, number> = {};
  for (const bucket of timeline.buckets) {
    for (const [outcome, calls] of Object.entries(bucket.ended))
      ended[outcome] = (ended[outcome] ?? 0) + calls;
  }
  // Placed: every call with telephony data (not balance-low, not the queued one). Ended: final statuses with an
  // updated_at (the failed call has none), by outcome.
  expect(placed).toBe(9);
  expect(ended).toEqual({ answered: 4, voicemail: 1, 'no-answer': 1, busy: 1, 'balance-low': 1, error: 1 });
  expect(timeline.callsWithoutTimes).toBe(1);
  expect(timeline.buckets.find((bucket) => bucket.start === at(2, 30))?.ended).toEqual({ answered: 1 });

  expect(report.campaign).toEqual({
    ...facts,
    firstCallAt: at(1),
    lastCallAt: at(11, 90),
    warnings: [
      facts.warnings![0],
      '1 call(s) were not placed because the Bolna wallet ran out (balance-low): top up and run them again.',
      'Bolna dropped 1 row(s) of the contact list as invalid: they were never called.',
      "1 row(s) have no result in Bolna's listings: their outcome is unknown.",
      '2 line(s) of the executions file(s) were not executions and were skipped.',
    ],
  });
});

test('report.json: extracted_data summarised per field, booleans and short texts counted, numbers ranged', async () => {
  const { report } = await knownReport();
  const { extractedData } = report;
  expect(extractedData).toMatchObject({ calls: 4, unstructured: 1, fieldsNotSummarised: 0 });
  const field = (name: string) => extractedData.fields.find((item) => item.field === name);
  expect(extractedData.fields.map((item) => item.field).sort()).toEqual(
    [
      'address.city',
      'budget',
      'callback_day',
      'callback_number',
      'email',
      'interested',
      'mood',
      'name',
      'notes',
      'phone',
      'tags',
    ].sort(),
  );
  expect(field('interested')).toEqual({
    field: 'interested',
    calls: 3,
    empty: 1,
    booleans: { true: 2, false: 1 },
  });
  // 'Ravi Kumar' was said once: counted, not shown.
  expect(field('callback_day')).toEqual({
    field: 'callback_day',
    calls: 4,
    empty: 0,
    strings: { count: 4, values: [{ value: 'monday', count: 3 }], otherValues: 1, long: 0 },
  });
  // A number in two calls, and as text in a third: both kinds are summarised.
  expect(field('budget')).toEqual({
    field: 'budget',
    calls: 3,
    empty: 0,
    numbers: { count: 2, min: 5000, max: 12000.5, mean: 8500.25 },
    strings: { count: 1, values: [], otherValues: 1, long: 0 },
  });
  expect(field('notes')?.strings).toEqual({ count: 1, values: [], otherValues: 0, long: 1 });
  expect(field('phone')).toEqual({ field: 'phone', calls: 1, empty: 0, identifierLike: 1 });
  expect(field('email')).toEqual({ field: 'email', calls: 1, empty: 0, identifierLike: 1 });
  expect(field('callback_number')).toEqual({
    field: 'callback_number',
    calls: 1,
    empty: 0,
    identifierLike: 1,
  });
  expect(field('name')?.strings).toEqual({ count: 1, values: [], otherValues: 1, long: 0 });
  expect(field('address.city')?.strings?.values).toEqual([]);
  expect(field('tags')).toEqual({ field: 'tags', calls: 1, empty: 0, other: 1 });
  expect(field('mood')?.strings?.values).toEqual([{ value: hostileValue, count: 3 }]);
});

/** The `<svg>…</svg>` documents inside the `<figure data-chart="…">` of each chart. */
function chartsIn(html: string): Map<string, string[]> {
  const charts = new Map<string, string[]>();
  for (const match of html.matchAll(/<figure data-chart="([^"]+)">([\s\S]*?)<\/figure>/g)) {
    charts.set(match[1]!, match[2]!.match(/<svg[\s\S]*?<\/svg>/g) ?? []);
  }
  return charts;
}

test('report.html stands alone: no script, nothing loaded from anywhere, one drawn SVG per chart', async () => {
  const { htmlPath } = await knownReport();
  const html = await readFile(htmlPath, 'utf8');
  expect(html.startsWith('<!doctype html>')).toBe(true);
  // Matches (not the whole page) are what a failure prints.
  expect(html.match(/<script|<link|<iframe|<object|<embed|@import|url\((?!#)/gi)).toBeNull();
  // Addresses: only the SVG and XLink namespace names, which are names, never fetched.
  const namespaces = /^xmlns(:xlink)?="http:\/\/www\.w3\.org\/(2000\/svg|1999\/xlink)"$/;
  const addresses = [...html.matchAll(/\b(?:src|href|xmlns(?::\w+)?)\s*=\s*"[^"]*"/gi)].map(
    ([attribute]) => attribute,
  );
  expect(addresses.filter((attribute) => !namespaces.test(attribute))).toEqual([]);
  expect(html.match(/https?:\/\/(?!www\.w3\.org\/(2000\/svg|1999\/xlink)")[^"\s]*/g)).toBeNull();
  expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'`);

  const charts = chartsIn(html);
  expect([...charts.keys()]).toEqual([
    'outcomes',
    'timeline',
    'talk-time',
    'extracted:interested',
    'extracted:callback_day',
    'extracted:mood',
  ]);
  for (const [name, svgs] of charts) {
    expect([name, svgs.length]).toEqual([name, 1]);
    expect([name, /<path|<rect/.test(svgs[0]!.replace(/^<svg[^>]*>\s*<rect[^>]*\/>/, ''))]).toEqual([
      name,
      true,
    ]);
  }
  // The outcome chart labels each bar with its calls and share.
  expect(charts.get('outcomes')![0]).toContain('4 · 36.4%');
});

test('neither report holds a phone number, a name or a transcript, and extracted text is escaped', async () => {
  const { htmlPath, jsonPath } = await knownReport();
  for (const path of [htmlPath, jsonPath]) {
    const text = await readFile(path, 'utf8');
    expect(personal.filter((value) => text.includes(value))).toEqual([]);
    expect(text.includes('assistant:')).toBe(false);
  }
  const html = await readFile(htmlPath, 'utf8');
  expect(html.includes('<img')).toBe(false);
  expect(html.includes('&lt;img src=x onerror=alert(1)&gt;')).toBe(true);
  // The page says what it leaves out of the extracted data.
  expect(html).toContain('at least 3 calls, the 12 most frequent per field');
});

test('the reports are owner-only, and a second run replaces them whole', async () => {
  const first = await knownReport();
  const outDir = join(dir, 'out');
  expect((await stat(outDir)).mode & 0o777).toBe(0o700);
  for (const path of [first.htmlPath, first.jsonPath]) expect((await stat(path)).mode & 0o777).toBe(0o600);

  // A killed attempt's partial file, and a campaign that since lost most of its calls.
  await writeFile(join(outDir, 'report.html.0badf00d.partial'), 'half a page');
  const file = await executionsFile(
    'two.jsonl',
    executions.slice(5, 7).map((item) => JSON.stringify(item)),
  );
  const second = await writeCampaignReport({ executionsFiles: [file], campaign: facts, outputDir: outDir });
  expect(second.report.calls.total).toBe(2);
  expect(JSON.parse(await readFile(second.jsonPath, 'utf8'))).toEqual(second.report);
  expect((await readdir(outDir)).sort()).toEqual(['report.html', 'report.json']);
  for (const path of [second.htmlPath, second.jsonPath]) expect((await stat(path)).mode & 0o777).toBe(0o600);
});

test('several executions files (the waves of one campaign) make one report', async () => {
  const lines = executions.map((item) => JSON.stringify(item));
  const files = [
    await executionsFile('a.jsonl', lines.slice(0, 4)),
    await executionsFile('b.jsonl', lines.slice(4)),
  ];
  const { report } = await writeCampaignReport({
    executionsFiles: files,
    campaign: facts,
    outputDir: join(dir, 'out'),
  });
  const whole = (await knownReport()).report;
  const figures = (r: CampaignReport) => [r.outcomes, r.cost, r.talkTime, r.timeline, r.extractedData];
  expect(figures(report)).toEqual(figures(whole));
});

test('a campaign without calls still gets a report, saying so instead of drawing empty charts', async () => {
  const file = await executionsFile('empty.jsonl', []);
  const { report, htmlPath } = await writeCampaignReport({
    executionsFiles: [file],
    campaign: { workflowId: 'campaign-empty', batchIds: ['batch-2'], missingRows: 0, droppedRows: 0 },
    outputDir: join(dir, 'out'),
  });
  expect(report.calls.total).toBe(0);
  expect(report.outcomes).toEqual([]);
  expect(report.cost.perAnsweredCallCents).toBeNull();
  expect(report.talkTime).toMatchObject({ meanSeconds: null, medianSeconds: null, bins: [] });
  const html = await readFile(htmlPath, 'utf8');
  expect(chartsIn(html).size).toBe(0);
  expect(html.match(/No calls to show/g)?.length).toBe(3);
});

test('an executions file that cannot be read fails the report, naming the file', async () => {
  await mkdir(join(dir, 'out'));
  await expect(
    writeCampaignReport({
      executionsFiles: [join(dir, 'missing.jsonl')],
      campaign: facts,
      outputDir: join(dir, 'out'),
    }),
  ).rejects.toThrow(/missing\.jsonl/);
  expect(await readdir(join(dir, 'out'))).toEqual([]);
});
