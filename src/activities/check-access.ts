import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { BolnaAuthError, BolnaError, BolnaNotFoundError } from '../bolna/errors';
import type { Account } from '../bolna/schemas';
import { failureTypes } from '../platform/failures';
import type { ActivityDeps } from './deps';

/** What the access check learnt about the account, for the campaign's later decisions. */
export interface BolnaAccess {
  /** How many calls the account may have on the line at once (`concurrency.max`), when Bolna said. */
  concurrency?: number;
}

/**
 * Asks Bolna, with calls that cost nothing, whether the key works and the agent exists, so a wrong key or agent
 * fails here with one clear error instead of at the upload. Only a refused key (401/403) on the account endpoint
 * stops the campaign: any other failure of `GET /user/me` (missing, failing, odd) is a warning, because the agent
 * listing right after proves the key just as well.
 */
export function checkBolnaAccessActivity(deps: Pick<ActivityDeps, 'bolna'>) {
  return async function checkBolnaAccess(agentId: string): Promise<BolnaAccess> {
    const account = await readAccount(deps.bolna);
    try {
      await deps.bolna.listAgentBatches(agentId);
    } catch (error) {
      if (!(error instanceof BolnaNotFoundError)) throw error;
      throw ApplicationFailure.create({
        type: failureTypes.UnknownAgent,
        message: `Bolna has no agent ${agentId} on this account (${error.message})`,
        nonRetryable: true,
      });
    }
    // An empty wallet is not refused (it may be topped up before the start), but every call would end balance-low.
    if (typeof account?.wallet === 'number' && account.wallet <= 0) {
      log.warn('The Bolna wallet is empty: calls will end as balance-low unless it is topped up', {
        agentId,
      });
    }
    const concurrency = account?.concurrency?.max;
    return typeof concurrency === 'number' && Number.isInteger(concurrency) && concurrency > 0
      ? { concurrency }
      : {};
  };
}

/** The account, or undefined when the endpoint failed for any reason but a refused key (not retried). */
async function readAccount(bolna: ActivityDeps['bolna']): Promise<Account | undefined> {
  try {
    return await bolna.getAccount();
  } catch (error) {
    if (!(error instanceof BolnaError) || error instanceof BolnaAuthError) throw error;
    log.warn('Could not read the Bolna account; going on without it (the agent check still proves the key)', {
      error: error.message,
    });
    return undefined;
  }
}
