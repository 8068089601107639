import { access, constants, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { failureTypes } from '../platform/failures';

/**
 * Where a local CSV may be read from. The path comes from whoever can start a workflow, and the worker's files
 * are not theirs to read: `/proc/self/environ` would hand over the worker's environment (the Bolna key), quoted
 * back in the validation error. So a path is followed through its symlinks first and must then lie inside one of
 * the configured folders (BOLNA_CSV_DIRS); the kernel's pseudo-file systems stay out whatever is configured.
 */

/** Never readable, even with BOLNA_CSV_DIRS=/ : process environments, kernel state, devices. */
const neverReadable = ['/proc', '/sys', '/dev'];

function isInside(path: string, folder: string): boolean {
  const rest = relative(folder, path);
  return rest === '' || (rest !== '..' && !rest.startsWith(`..${sep}`) && !isAbsolute(rest));
}

function refused(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: failureTypes.CsvSourceRefused, message, nonRetryable: true });
}

/**
 * The real path (symlinks resolved) of the local CSV `csv`, once it is known to lie inside `allowedDirs` and to be
 * a readable file. A relative `csv` is resolved against the worker's working directory. Errors name the path and
 * the allowed folders, never anything read from the file. Whether a file outside the folders exists is not told.
 */
export async function allowedLocalCsv(csv: string, allowedDirs: readonly string[]): Promise<string> {
  const absolute = resolve(csv);
  const real = await realpath(absolute).catch(() => undefined);
  const checked = real ?? absolute;
  const forbidden = neverReadable.find((root) => isInside(checked, root) || isInside(absolute, root));
  if (forbidden !== undefined) {
    throw refused(`CSV file '${csv}' is under ${forbidden}, which the worker never reads`);
  }
  // The folders' own real paths, so a folder reached through a symlink (macOS's /tmp) still matches.
  const folders = await Promise.all(allowedDirs.map((dir) => realpath(dir).catch(() => resolve(dir))));
  if (!folders.some((folder) => isInside(checked, folder))) {
    throw refused(
      `CSV file '${csv}' is outside the folders the worker reads CSVs from (${allowedDirs.join(', ')}); ` +
        'move it there, or list its folder in BOLNA_CSV_DIRS on the worker',
    );
  }
  const problem = await unreadableBecause(checked);
  if (problem) {
    throw ApplicationFailure.create({
      type: failureTypes.CsvSourceError,
      message: `CSV file '${csv}' ${problem} on the worker's host (the worker reads local paths itself)`,
      nonRetryable: true,
    });
  }
  return checked;
}

/** Why a local CSV cannot be used, in words for the error message; undefined when it can. */
async function unreadableBecause(path: string): Promise<string | undefined> {
  try {
    if (!(await stat(path)).isFile()) return 'is not a file';
    await access(path, constants.R_OK);
    return undefined;
  } catch (error) {
    return (error as { code?: unknown }).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
  }
}
