import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Logger } from '@temporalio/worker';

/**
 * Installs the Temporal runtime for tools and tests that report for themselves (soak tables, replay results, test
 * assertions): worker and SDK-core logs go to `logger` at its level only, by default errors. Injected faults are
 * activity failures the worker would otherwise log by the hundred, and the time-skipping server makes the core warn
 * about a capability it does not advertise.
 */
export function installQuietRuntime(logger: Logger = new DefaultLogger('ERROR')): void {
  const level = logger instanceof DefaultLogger ? logger.level : 'ERROR';
  Runtime.install({
    logger,
    telemetryOptions: { logging: { filter: { core: level, other: level }, forward: {} } },
  });
}
