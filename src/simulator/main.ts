/**
 * `npm run simulator`: serves Bolna's batch API on loopback for manual runs and for workers pointed at it with
 * BOLNA_BASE_URL. Environment:
 *   BOLNA_SIMULATOR_PORT              port (default 8787)
 *   BOLNA_SIMULATOR_HOST              interface (default 127.0.0.1)
 *   BOLNA_API_KEY                     when set, the only accepted key; otherwise any non-empty key
 *   BOLNA_SIMULATOR_MIN_LEAD_SECONDS  schedule lead (default 120, Bolna's rule)
 *   BOLNA_SIMULATOR_ROUNDING_SECONDS  start rounding (default 600, Bolna's rule)
 *   BOLNA_SIMULATOR_CALL_SECONDS      talk time of an answered call (default 90)
 */
import { z } from 'zod';
import { startSimulator } from './server';

const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);
const seconds = (fallback: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().nonnegative().default(fallback));

const envSchema = z.object({
  BOLNA_SIMULATOR_PORT: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(65535).default(8787)),
  BOLNA_SIMULATOR_HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  BOLNA_API_KEY: z.preprocess(unsetIfEmpty, z.string().optional()),
  BOLNA_SIMULATOR_MIN_LEAD_SECONDS: seconds(120),
  BOLNA_SIMULATOR_ROUNDING_SECONDS: seconds(600).pipe(z.number().positive()),
  BOLNA_SIMULATOR_CALL_SECONDS: seconds(90),
});

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid simulator configuration:\n  ${problems.join('\n  ')}`);
  }
  const env = parsed.data;
  const simulator = await startSimulator({
    host: env.BOLNA_SIMULATOR_HOST,
    port: env.BOLNA_SIMULATOR_PORT,
    ...(env.BOLNA_API_KEY ? { apiKey: env.BOLNA_API_KEY } : {}),
    rules: {
      minLeadMs: Math.round(env.BOLNA_SIMULATOR_MIN_LEAD_SECONDS * 1000),
      roundingMs: Math.round(env.BOLNA_SIMULATOR_ROUNDING_SECONDS * 1000),
    },
    calls: { talkMs: Math.round(env.BOLNA_SIMULATOR_CALL_SECONDS * 1000) },
  });
  console.log(`Bolna simulator listening on ${simulator.url}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await simulator.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
