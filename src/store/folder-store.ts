import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ownerOnly, ownerOnlyDirectory } from '../platform/file-modes';
import { campaignFolder } from './campaign-folder';
import type { LocalFile, ResultsStore, StagingFolder } from './results-store';

/**
 * The default store: a folder on the worker's host (`BOLNA_RESULTS_DIR`), one owner-only folder per campaign.
 * Files are kept where they were written, so a location is simply their path. Right for one host, or for hosts
 * that mount the same folder.
 */
export class FolderStore implements ResultsStore {
  readonly #root: string;

  constructor(root: string) {
    this.#root = root;
  }

  get description(): string {
    return `folder ${resolve(this.#root)}`;
  }

  async stage(campaignKey: string): Promise<StagingFolder> {
    const folder = campaignFolder(this.#root, campaignKey);
    await mkdir(folder, { recursive: true, mode: ownerOnlyDirectory });
    return { folder, keep: (name) => Promise.resolve(join(folder, name)), release: () => Promise.resolve() };
  }

  async put(key: string, body: Readable): Promise<string> {
    const path = join(this.#root, key);
    await mkdir(dirname(path), { recursive: true, mode: ownerOnlyDirectory });
    // Written whole under a name of its own, then renamed: nobody reads half a file.
    const partial = `${path}.${randomUUID().slice(0, 8)}.partial`;
    try {
      await pipeline(body, createWriteStream(partial, { mode: ownerOnly }));
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return path;
  }

  async get(location: string): Promise<Readable> {
    // Opened first, so a missing file rejects here rather than as a stream error later.
    const file = await open(location, 'r');
    return file.createReadStream();
  }

  async exists(location: string): Promise<boolean> {
    return access(location).then(
      () => true,
      () => false,
    );
  }

  owns(location: string): boolean {
    const inside = relative(resolve(this.#root), resolve(location));
    return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
  }

  localFile(location: string): Promise<LocalFile> {
    return Promise.resolve({ path: location, release: () => Promise.resolve() });
  }
}
