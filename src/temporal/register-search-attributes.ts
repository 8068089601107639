/**
 * `npm run register-search-attributes`: registers the campaign's search attributes (BolnaBatchId, BolnaAgentId,
 * CampaignPhase, CampaignName, all Keyword) in the namespace of the standard TEMPORAL_* connection, once; running
 * it again changes nothing. The embedded dev server needs none of this (it registers them as it starts). Temporal
 * Cloud does not let a namespace key add them: use the Cloud UI or `tcld namespace search-attributes add`.
 */
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import { campaignSearchAttributeNames } from '../workflows/search-attributes';
import { registerSearchAttributes } from './search-attributes';

async function main(): Promise<void> {
  const { connectionOptions, namespace = 'default' } = loadClientConnectConfig();
  const connection = await NativeConnection.connect(connectionOptions).catch((error: unknown) => {
    const address = connectionOptions.address ?? 'localhost:7233';
    throw new Error(`Cannot reach Temporal at ${address} (set TEMPORAL_ADDRESS?): ${String(error)}`);
  });
  try {
    const added = await registerSearchAttributes(connection, namespace).catch((error: unknown) => {
      throw new Error(
        `Could not register the search attributes in namespace '${namespace}': ${String(error)}. On Temporal Cloud, ` +
          `add ${campaignSearchAttributeNames.join(', ')} (Keyword) in the Cloud UI or with tcld, then run the ` +
          'workers with BOLNA_SEARCH_ATTRIBUTES=on.',
      );
    });
    console.log(
      added.length > 0
        ? `Registered ${added.join(', ')} (Keyword) in namespace '${namespace}'`
        : `Namespace '${namespace}' already has ${campaignSearchAttributeNames.join(', ')}`,
    );
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
