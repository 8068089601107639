import { log } from '@temporalio/activity';
import type { CampaignSearchAttribute } from '../workflows/search-attributes';
import type { ActivityDeps } from './deps';

/**
 * Which of the campaign's search attributes the namespace has, so the workflow sets only those (an unregistered
 * one would fail its workflow task again and again). Never fails: a namespace that cannot say gets none set, and
 * the campaign runs as before.
 */
export function searchAttributesActivity(deps: Pick<ActivityDeps, 'searchAttributes'>) {
  return async function registeredSearchAttributes(): Promise<CampaignSearchAttribute[]> {
    try {
      return [...(await deps.searchAttributes())];
    } catch (error) {
      log.warn('Could not tell which search attributes the namespace has; the campaign sets none', {
        error: error instanceof Error ? error.message : String(error),
      });
      return [];
    }
  };
}
