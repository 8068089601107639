import { createConnection, createServer } from 'node:net';
import type { Server } from 'node:net';

/**
 * `count` distinct free ports on loopback, all held open until every one is chosen, so none is picked twice. By
 * default the system picks them (from its ephemeral range); `below` keeps them under a bound instead, for ports
 * Temporal writes to a PostgreSQL `smallint` column (its membership ports: 32767 at most).
 */
export async function freeLoopbackPorts(count: number, below?: number): Promise<number[]> {
  const servers: Server[] = [];
  const hold = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        servers.push(server);
        const address = server.address();
        resolve(address !== null && typeof address !== 'string' ? address.port : undefined);
      });
    });
  try {
    const ports: number[] = [];
    for (let tries = 0; ports.length < count; tries += 1) {
      if (tries > count * 100) throw new Error(`found no ${count} free loopback ports`);
      const port = await hold(
        below === undefined ? 0 : 10_000 + Math.floor(Math.random() * (below - 10_000)),
      );
      if (port !== undefined) ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((closed) => server.close(closed))));
  }
}

/** Whether something accepts connections on loopback `port`. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
