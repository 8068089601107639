import type { Client, WorkflowExecutionInfo, WorkflowExecutionStatusName } from '@temporalio/client';
import { missingSearchAttributes, MissingSearchAttributesError } from '../temporal/search-attributes';
import type { CampaignPhase } from '../workflows/definitions';
import { workflowType } from '../workflows/definitions';
import type { CampaignSearchAttribute } from '../workflows/search-attributes';
import { campaignAttributeFields } from './attribute-fields';
import type { CampaignAttributeFields } from './attribute-fields';

/** Which campaigns to list; every field narrows the list, none lists them all (newest first, as Temporal orders them). */
export interface CampaignFilter {
  /** Campaigns calling with this Bolna agent (`BolnaAgentId`). */
  agentId?: string;
  /** The campaign that owns this Bolna batch (`BolnaBatchId`). */
  batchId?: string;
  /** Campaigns in this phase (`CampaignPhase`), e.g. `running`. */
  phase?: CampaignPhase;
  /** Campaigns of this name (`CampaignName`); a Schedule's runs share their schedule's name. */
  name?: string;
  /** Started at or after this time. */
  startedAfter?: Date;
  /** Started before this time. */
  startedBefore?: Date;
  /** Only open (still running) campaigns, or only closed ones. */
  open?: boolean;
  /** At most this many (default: all). */
  limit?: number;
}

/** One campaign as the visibility store knows it: no query is sent to its worker. */
export interface CampaignListing extends CampaignAttributeFields {
  workflowId: string;
  runId: string;
  /** The workflow's status at Temporal: `RUNNING`, `COMPLETED`, `FAILED`, `CANCELLED`, `TERMINATED`, … */
  status: WorkflowExecutionStatusName;
  startTime: Date;
  closeTime?: Date;
}

/**
 * The campaigns matching `filter`, newest first, read from Temporal's visibility store (the same
 * `temporal workflow list --query` operators run). Filters on the campaign's search attributes need them registered
 * in the namespace (`npm run register-search-attributes`); without them the server refuses the query, naming the
 * attribute.
 */
export async function listCampaigns(client: Client, filter: CampaignFilter = {}): Promise<CampaignListing[]> {
  const listings: CampaignListing[] = [];
  if (filter.limit !== undefined && filter.limit <= 0) return listings;
  try {
    for await (const workflow of client.workflow.list({ query: campaignQuery(filter) })) {
      listings.push(listing(workflow));
      if (filter.limit !== undefined && listings.length >= filter.limit) break;
    }
  } catch (error) {
    throw (await missingAttributesOf(client, filter)) ?? error;
  }
  return listings;
}

/** Why a query failed, when it is that the namespace lacks an attribute the filter uses (the server only says "failed"). */
async function missingAttributesOf(
  client: Client,
  filter: CampaignFilter,
): Promise<MissingSearchAttributesError | undefined> {
  const used = attributesUsedBy(filter);
  if (used.length === 0) return undefined;
  const { namespace } = client.options;
  const missing = await missingSearchAttributes(client.connection, namespace).catch(
    (): CampaignSearchAttribute[] => [],
  );
  const lacking = used.filter((name) => missing.includes(name));
  return lacking.length > 0 ? new MissingSearchAttributesError(namespace, lacking) : undefined;
}

function attributesUsedBy(filter: CampaignFilter): CampaignSearchAttribute[] {
  const used: [CampaignSearchAttribute, unknown][] = [
    ['BolnaAgentId', filter.agentId],
    ['BolnaBatchId', filter.batchId],
    ['CampaignPhase', filter.phase],
    ['CampaignName', filter.name],
  ];
  return used.filter(([, value]) => value !== undefined).map(([name]) => name);
}

/** The visibility query for `filter`: exactly what `temporal workflow list --query` takes. */
function campaignQuery(filter: CampaignFilter): string {
  const conditions = [`WorkflowType = ${literal(workflowType)}`];
  const equal = (attribute: string, value: string | undefined) => {
    if (value !== undefined) conditions.push(`${attribute} = ${literal(value)}`);
  };
  equal('BolnaAgentId', filter.agentId);
  equal('BolnaBatchId', filter.batchId);
  equal('CampaignPhase', filter.phase);
  equal('CampaignName', filter.name);
  if (filter.startedAfter) conditions.push(`StartTime >= ${literal(filter.startedAfter.toISOString())}`);
  if (filter.startedBefore) conditions.push(`StartTime < ${literal(filter.startedBefore.toISOString())}`);
  if (filter.open === true) conditions.push(`ExecutionStatus = 'Running'`);
  if (filter.open === false) conditions.push(`ExecutionStatus != 'Running'`);
  return conditions.join(' AND ');
}

/** A quoted string for a visibility query: Temporal's parser takes backslash escapes inside single quotes. */
function literal(value: string): string {
  return `'${value.replace(/[\\']/g, (character) => `\\${character}`)}'`;
}

function listing(workflow: WorkflowExecutionInfo): CampaignListing {
  return {
    workflowId: workflow.workflowId,
    runId: workflow.runId,
    status: workflow.status.name,
    startTime: workflow.startTime,
    ...(workflow.closeTime ? { closeTime: workflow.closeTime } : {}),
    ...campaignAttributeFields(workflow.typedSearchAttributes),
  };
}
