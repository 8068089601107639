import { ExtractedDataTally } from '../../src/report/extracted-data';

/**
 * The extracted-data summary shows what many callees said and hides what could single one out: rare values,
 * free text, and anything shaped like a phone number, email address or link. Its memory is bounded.
 */

function summaryOf(values: unknown[]) {
  const tally = new ExtractedDataTally();
  for (const value of values) tally.add(value);
  return tally.summary();
}

test('values shaped like identifiers are counted, never listed; ordinary short values are', () => {
  const identifiers = [
    '+91 98765 43210',
    '(415) 555-0123',
    '415.555.0123',
    '9876543210',
    'asha@example.com',
    'https://x.example/a',
  ];
  const ordinary = ['yes', '12', 'call after 6', '2026-06-23', '23.06.2026', 'Mon 10-12'];
  const answers = [...identifiers, ...ordinary].flatMap((answer) =>
    Array.from({ length: 3 }, () => ({ answer })),
  );
  const numbers = [9_876_543_210, 919_876_543_210, 999_999_999, -5, 2.5].map((amount) => ({ amount }));
  const { fields } = summaryOf([...answers, ...numbers]);
  const [answer, amount] = fields;
  expect(answer).toMatchObject({ field: 'answer', calls: 36, identifierLike: 18 });
  expect(answer?.strings?.values.map(({ value }) => value).sort()).toEqual([...ordinary].sort());
  // Integers of 10 digits or more are identifiers; smaller ones are quantities.
  expect(amount).toEqual({
    field: 'amount',
    calls: 5,
    empty: 0,
    identifierLike: 2,
    numbers: { count: 3, min: -5, max: 999_999_999, mean: 333_333_332.1667 },
  });
});

test('a value is listed from its third call on; at most 12 are, the rest add up in "other values"', () => {
  const days = Array.from({ length: 15 }, (_, i) => `day ${i}`);
  const values = [
    ...days.flatMap((day, i) => Array.from({ length: 3 + i }, () => ({ day }))),
    { day: 'Asha' },
    { day: 'Asha' },
    { day: 'a reply far longer than forty characters, written down by the LLM' },
  ];
  const [day] = summaryOf(values).fields;
  const listed = day!.strings!.values;
  expect(listed).toHaveLength(12);
  expect(listed[0]).toEqual({ value: 'day 14', count: 17 });
  expect(listed.some(({ value }) => value === 'Asha')).toBe(false);
  // day 0–2 (3 + 4 + 5 calls) and Asha (2) are not listed.
  expect(day!.strings).toMatchObject({ count: values.length, otherValues: 14, long: 1 });
  const sum =
    listed.reduce((total, { count }) => total + count, 0) + day!.strings!.otherValues + day!.strings!.long;
  expect(sum).toBe(values.length);
});

test('memory is bounded: 50 fields and 500 distinct values per field are tracked, the rest only counted', () => {
  const tally = new ExtractedDataTally();
  tally.add(Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`field${i}`, true])));
  for (let i = 0; i < 2000; i += 1) tally.add({ field0: `answer ${i}` });
  const summary = tally.summary();
  expect(summary.fields).toHaveLength(50);
  expect(summary.fieldsNotSummarised).toBe(10);
  expect(summary.fields[0]!.strings).toEqual({
    count: 2000,
    values: [],
    otherValues: 2000,
    long: 0,
    valuesTruncated: true,
  });
});

test('nested objects flatten to dotted names three levels deep; lists, deeper objects and text are counted', () => {
  const summary = summaryOf([
    { contact: { preferred: { channel: 'sms', deeper: { still: 1 } } }, tags: ['a', 'b'] },
    '{"contact": {"preferred": {"channel": "sms"}}}',
    'the customer said yes',
    ['not', 'an', 'object'],
    null,
    undefined,
  ]);
  expect(summary).toMatchObject({ calls: 2, unstructured: 2 });
  expect(summary.fields.map(({ field, calls, other }) => [field, calls, other])).toEqual([
    ['contact.preferred.channel', 2, undefined],
    ['contact.preferred.deeper', 1, 1],
    ['tags', 1, 1],
  ]);
});
