import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The campaign's search attributes, all Keyword: how operators find campaigns in the Web UI's filter and with
 * `temporal workflow list --query "BolnaAgentId='…' AND CampaignPhase='running'"`. They are stored unencrypted, so
 * they never hold personal data: ids, a phase and the campaign's business name only.
 */
export const campaignSearchAttributes = {
  /** Bolna's batch id, once the batch exists. */
  BolnaBatchId: defineSearchAttributeKey('BolnaBatchId', SearchAttributeType.KEYWORD),
  /** The agent that makes the calls. */
  BolnaAgentId: defineSearchAttributeKey('BolnaAgentId', SearchAttributeType.KEYWORD),
  /** `validating`, `creating`, … `completed`, `stopped`, `failed`: the campaign's phase, kept current. */
  CampaignPhase: defineSearchAttributeKey('CampaignPhase', SearchAttributeType.KEYWORD),
  /** The campaign's name (`campaign-<name>` is its workflow ID; a scheduled run keeps its schedule's name). */
  CampaignName: defineSearchAttributeKey('CampaignName', SearchAttributeType.KEYWORD),
};

export type CampaignSearchAttribute = keyof typeof campaignSearchAttributes;

export const campaignSearchAttributeNames = Object.keys(
  campaignSearchAttributes,
) as CampaignSearchAttribute[];
