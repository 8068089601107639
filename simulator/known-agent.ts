import type { HandlerContext } from './handler-context';
import { HttpError, jsonReply } from './http-reply';
import type { SimulatorSettings } from './settings';

/**
 * Whether the account owns the agent. Without `settings.agents` every agent is taken to exist, because the
 * simulator cannot know which agents a real account has; with it, unknown agents are refused as Bolna refuses them.
 */
export function isKnownAgent(settings: SimulatorSettings, agentId: string): boolean {
  return settings.agents === undefined || settings.agents.includes(agentId);
}

/** The agent a `/batches/{agent_id}/all` or `/v2/agent/{agent_id}/...` path names; an unknown one is a 404. */
export function knownAgent(context: HandlerContext): string {
  const agentId = context.params[0] ?? '';
  if (!isKnownAgent(context.settings, agentId)) {
    throw new HttpError(jsonReply(404, { error: 404, message: 'Agent not found' }));
  }
  return agentId;
}
