/**
 * `npm run build:workflow-bundle [folder]`: bundles the workflows ahead of time into `folder` (default
 * `dist/workflow-bundle`), for workers started with BOLNA_WORKFLOW_BUNDLE pointing there (the Docker image does).
 */
import { buildWorkflowBundles, defaultWorkflowBundleFolder } from './workflow-bundle';

async function main(): Promise<void> {
  const written = await buildWorkflowBundles(process.argv[2] ?? defaultWorkflowBundleFolder);
  console.log(`Wrote ${written.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
