import { searchAttributesActivity } from '../../src/activities/search-attributes';
import { searchAttributesPolicy } from '../../src/temporal/search-attributes';
import { inActivity } from '../support/activity-context';

/** Which search attributes a campaign may set: asked of the namespace, or as configured, and never a failure. */

const listing = (customAttributes: Record<string, number>) => ({
  operatorService: {
    listSearchAttributes: () => Promise.resolve({ customAttributes }),
  },
});

test('auto: the campaign sets those the namespace has, and only ours', async () => {
  const ask = searchAttributesPolicy(
    listing({ BolnaAgentId: 2, CampaignPhase: 2, SomethingElse: 2 }) as never,
    'default',
    'auto',
  );
  expect(await ask()).toEqual(['BolnaAgentId', 'CampaignPhase']);
});

test('on and off need no answer from the namespace (Temporal Cloud cannot list them with a namespace key)', async () => {
  const unreachable = { operatorService: { listSearchAttributes: () => Promise.reject(new Error('no')) } };
  expect(await searchAttributesPolicy(unreachable as never, 'default', 'on')()).toEqual([
    'BolnaBatchId',
    'BolnaAgentId',
    'CampaignPhase',
    'CampaignName',
  ]);
  expect(await searchAttributesPolicy(unreachable as never, 'default', 'off')()).toEqual([]);
});

test('a namespace that cannot say gets none set, and the campaign goes on', async () => {
  const activity = searchAttributesActivity({
    searchAttributes: () => Promise.reject(new Error('PermissionDenied')),
  });
  expect(await inActivity(activity, {})).toEqual([]);
});
