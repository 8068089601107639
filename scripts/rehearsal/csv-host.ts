import { createReadStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { basename, join } from 'node:path';

/**
 * Where the backend puts its contact lists for the workers to download: hosts that share no disk cannot be given a
 * path, so each campaign names its CSV by URL, as it would name an internal file server's. On loopback, which is why
 * the workers get BOLNA_CSV_ALLOWED_HOSTS=127.0.0.1.
 */
export interface CsvHost {
  /** Writes `text` as `name` and returns its URL. */
  put(name: string, text: string): Promise<string>;
  close(): Promise<void>;
}

export async function startCsvHost(folder: string, port: number): Promise<CsvHost> {
  await mkdir(folder, { recursive: true });
  const server = createServer((request, response) => {
    const name = basename(decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname));
    const path = join(folder, name);
    stat(path).then(
      (file) => {
        response.writeHead(200, { 'content-type': 'text/csv', 'content-length': file.size });
        createReadStream(path).pipe(response);
      },
      () => {
        response.writeHead(404).end();
      },
    );
  });
  await new Promise<void>((listening) => server.listen(port, '127.0.0.1', listening));
  return {
    put: async (name, text) => {
      await writeFile(join(folder, name), text);
      return `http://127.0.0.1:${port}/${encodeURIComponent(name)}`;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
    },
  };
}
