import { removeRunWorkflowBundle } from './support/workflow-bundle';

/** Removes what test/global-setup.ts left for the run: its workflow bundle. */
export default async function globalTeardown(): Promise<void> {
  await removeRunWorkflowBundle();
}
