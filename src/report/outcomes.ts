/** The outcomes a campaign is judged by, in the order the report shows them; others follow, most frequent first. */
const usualOutcomes = ['answered', 'voicemail', 'no-answer', 'busy', 'failed', 'balance-low'] as const;

/** Each outcome's colour, the same in every chart: green for a conversation, warm for a miss, grey for the rest. */
const outcomeColours: Record<string, string> = {
  answered: '#2e7d32',
  voicemail: '#8e24aa',
  'no-answer': '#f9a825',
  busy: '#ef6c00',
  failed: '#c62828',
  'balance-low': '#6d4c41',
  error: '#ad1457',
  stopped: '#546e7a',
  canceled: '#90a4ae',
};
const otherOutcomeColour = '#9e9e9e';

export function outcomeColour(outcome: string): string {
  return outcomeColours[outcome] ?? otherOutcomeColour;
}

/** `counts` (outcome → calls) in the report's order: the usual outcomes first, then the rest by count. */
export function orderOutcomes(counts: ReadonlyMap<string, number>): [string, number][] {
  const usual: readonly string[] = usualOutcomes;
  const rank = (outcome: string) => (usual.includes(outcome) ? usual.indexOf(outcome) : usual.length);
  return [...counts].sort(
    ([a, countA], [b, countB]) => rank(a) - rank(b) || countB - countA || a.localeCompare(b),
  );
}
