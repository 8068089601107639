import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { NativeConnection } from '@temporalio/worker';
import { campaignSearchAttributeNames } from '../workflows/search-attributes';
import type { CampaignSearchAttribute } from '../workflows/search-attributes';

/**
 * Which of the campaign's search attributes a namespace has registered. A workflow that upserts an unregistered
 * one fails its workflow task over and over, so campaigns set only those the namespace knows. Temporal Cloud does
 * not let a namespace API key list them: there, `BOLNA_SEARCH_ATTRIBUTES=on` says they are registered.
 */
export type SearchAttributesMode = 'auto' | 'on' | 'off';

type OperatorConnection = Pick<NativeConnection | Connection, 'operatorService'>;

/** The campaign's search attributes that `namespace` has, asked of its operator service. */
async function registeredSearchAttributes(
  connection: OperatorConnection,
  namespace: string,
): Promise<CampaignSearchAttribute[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  return campaignSearchAttributeNames.filter((name) => customAttributes?.[name] !== undefined);
}

/** The campaign's search attributes `namespace` lacks. */
export async function missingSearchAttributes(
  connection: OperatorConnection,
  namespace: string,
): Promise<CampaignSearchAttribute[]> {
  const registered = await registeredSearchAttributes(connection, namespace);
  return campaignSearchAttributeNames.filter((name) => !registered.includes(name));
}

/** A visibility query named campaign search attributes the namespace does not have. */
export class MissingSearchAttributesError extends Error {
  constructor(
    readonly namespace: string,
    readonly missing: readonly CampaignSearchAttribute[],
  ) {
    super(
      `Namespace '${namespace}' lacks the search attribute(s) ${missing.join(', ')}, so campaigns cannot be found ` +
        'by them. Register them with `npm run register-search-attributes` (campaigns started afterwards have them).',
    );
    this.name = 'MissingSearchAttributesError';
  }
}

/** Registers the ones `namespace` lacks, as Keyword; returns what it added. */
export async function registerSearchAttributes(
  connection: OperatorConnection,
  namespace: string,
): Promise<CampaignSearchAttribute[]> {
  const missing = await missingSearchAttributes(connection, namespace);
  if (missing.length === 0) return [];
  const keyword = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((name) => [name, keyword])),
  });
  return missing;
}

/**
 * How a worker answers "which search attributes may campaigns set?": by asking the namespace (`auto`, the
 * default), or as configured. Asking fails soft: a campaign without search attributes still runs.
 */
export function searchAttributesPolicy(
  connection: OperatorConnection,
  namespace: string,
  mode: SearchAttributesMode,
): () => Promise<readonly CampaignSearchAttribute[]> {
  if (mode === 'on') return () => Promise.resolve(campaignSearchAttributeNames);
  if (mode === 'off') return () => Promise.resolve([]);
  return () => registeredSearchAttributes(connection, namespace);
}
