import type { TypedSearchAttributes } from '@temporalio/common';
import { campaignSearchAttributes } from '../workflows/search-attributes';

/** The campaign's search attributes as the library names them; each absent until the campaign set it. */
export interface CampaignAttributeFields {
  name?: string;
  agentId?: string;
  batchId?: string;
  phase?: string;
}

/** Reads a workflow's campaign search attributes (those the namespace has and the campaign got to set). */
export function campaignAttributeFields(attributes: TypedSearchAttributes): CampaignAttributeFields {
  const fields: CampaignAttributeFields = {};
  const name = attributes.get(campaignSearchAttributes.CampaignName);
  const agentId = attributes.get(campaignSearchAttributes.BolnaAgentId);
  const batchId = attributes.get(campaignSearchAttributes.BolnaBatchId);
  const phase = attributes.get(campaignSearchAttributes.CampaignPhase);
  if (name !== undefined) fields.name = name;
  if (agentId !== undefined) fields.agentId = agentId;
  if (batchId !== undefined) fields.batchId = batchId;
  if (phase !== undefined) fields.phase = phase;
  return fields;
}
