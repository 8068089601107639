import { access, constants } from 'node:fs/promises';

/** Whether `path` is a file this process may run: how the set-up finds the tools it installs. */
export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
