import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ConfigError } from '../platform/config-error';

/**
 * The workflow bundle built ahead of time (`npm run build:workflow-bundle`, the Docker image's build stage), so a
 * worker starts without webpack's seconds of bundling and runs exactly the code the image was built with.
 *
 * A bundle carries its failure converter: the one that encodes failure messages (src/codec/failure-converter.ts)
 * when payloads are encrypted, Temporal's default otherwise. Which one a worker needs is known only when it reads
 * its keys, so the folder holds both and the worker picks.
 */

/** Where `npm run build:workflow-bundle` writes, under the build's dist/ (the Docker image points there). */
export const defaultWorkflowBundleFolder = 'dist/workflow-bundle';

const bundleFiles = { plain: 'workflows.js', encodedFailures: 'workflows-encoded-failures.js' };

/** Writes both bundles into `folder`; returns their paths. */
export async function buildWorkflowBundles(folder: string): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const workflowsPath = require.resolve('../workflows');
  const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
  const variants = [
    { file: bundleFiles.plain, failureConverterPath: undefined },
    {
      file: bundleFiles.encodedFailures,
      failureConverterPath: require.resolve('../codec/failure-converter'),
    },
  ];
  const written: string[] = [];
  for (const { file, failureConverterPath } of variants) {
    const { code } = await bundleWorkflowCode({
      workflowsPath,
      logger: quiet,
      ...(failureConverterPath ? { failureConverterPath } : {}),
    });
    const path = resolve(folder, file);
    await writeFile(path, code);
    written.push(path);
  }
  return written;
}

/**
 * The bundle in `folder` (BOLNA_WORKFLOW_BUNDLE) for a worker with or without encoded failures; a folder without it
 * stops the worker at start-up, naming the variable.
 */
export function prebuiltWorkflowBundle(folder: string, encodedFailures: boolean): { codePath: string } {
  const codePath = resolve(join(folder, encodedFailures ? bundleFiles.encodedFailures : bundleFiles.plain));
  if (!existsSync(codePath)) {
    throw new ConfigError(
      `BOLNA_WORKFLOW_BUNDLE=${folder}: no workflow bundle at ${codePath} (build it with npm run build:workflow-bundle)`,
    );
  }
  return { codePath };
}
