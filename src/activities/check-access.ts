import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { BolnaNotFoundError } from '../bolna/errors';
import type { ActivityDeps } from './deps';

/**
 * Asks Bolna, with calls that cost nothing, whether the key works and the agent exists, so a wrong key or agent
 * fails here with one clear error instead of at the upload.
 */
export interface BolnaAccess {
  /** Calls the account may have on the line at once, when Bolna says. */
  concurrency?: number;
}

export function checkBolnaAccessActivity(deps: Pick<ActivityDeps, 'bolna'>) {
  return async function checkBolnaAccess(agentId: string): Promise<BolnaAccess> {
    const account = await deps.bolna.getAccount();
    try {
      await deps.bolna.listAgentBatches(agentId);
    } catch (error) {
      if (!(error instanceof BolnaNotFoundError)) throw error;
      throw ApplicationFailure.create({
        type: 'UnknownAgent',
        message: `Bolna has no agent ${agentId} on this account (${error.message})`,
        nonRetryable: true,
      });
    }
    // An empty wallet is not refused (it may be topped up before the start), but every call would end balance-low.
    if (typeof account.wallet === 'number' && account.wallet <= 0) {
      log.warn('The Bolna wallet is empty: calls will end as balance-low unless it is topped up', {
        agentId,
      });
    }
    const concurrency = account.concurrency?.max;
    return typeof concurrency === 'number' && concurrency > 0 ? { concurrency } : {};
  };
}
