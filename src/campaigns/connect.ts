import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { dataConverterFromEnv } from '../codec/data-converter';

/**
 * A Temporal client from the standard TEMPORAL_* variables or temporal.toml profile, encrypting payloads when
 * BOLNA_PAYLOAD_KEY is set (workers and clients must agree on it).
 */
export async function connectClient(): Promise<Client> {
  const dataConverter = dataConverterFromEnv();
  const { connectionOptions, namespace } = loadClientConnectConfig();
  const connection = await Connection.connect(connectionOptions).catch((error: unknown) => {
    const address = connectionOptions.address ?? 'localhost:7233';
    throw new Error(`Cannot reach Temporal at ${address} (set TEMPORAL_ADDRESS?): ${String(error)}`);
  });
  return new Client({
    connection,
    ...(namespace ? { namespace } : {}),
    ...(dataConverter ? { dataConverter } : {}),
  });
}
