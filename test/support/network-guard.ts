import { lookup as systemLookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { BlockList, Socket, isIP } from 'node:net';
import type { LookupFunction } from 'node:net';

/**
 * A guard for tests that must never reach past loopback, such as those proving that a private or metadata
 * address is refused. While installed, every TCP connection this process opens is checked on the address it is
 * about to connect to: anything outside 127.0.0.0/8 and ::1 is recorded and blocked (the socket fails, nothing is
 * sent). A host name is allowed only with a `lookup` of the caller's (tests inject their DNS answers), whose
 * answers are checked the same way, or when it is `localhost`; any other name would need the system resolver,
 * which is itself a query off this machine, so it is recorded and blocked too. Temporal's own connections are
 * made by its native core, not by Node sockets, and are not affected.
 */
export interface NetworkGuard {
  /** Every blocked attempt, e.g. `10.0.0.7:80` or `files.test:80 (system DNS)`. */
  readonly blocked: string[];
  uninstall(): void;
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

function isLoopback(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return loopback.check(mapped, 'ipv4');
  const family = isIP(address);
  return family !== 0 && loopback.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

interface ConnectOptions {
  host?: string;
  port?: number | string;
  path?: string;
  lookup?: LookupFunction;
}

/** The options object of any `socket.connect(...)` call form, or undefined for a port-and-host call. */
function optionsOf(args: unknown[]): ConnectOptions | undefined {
  const [first] = args;
  // net.connect() hands Socket#connect an array of [options, callback].
  const candidate: unknown = Array.isArray(first) ? first[0] : first;
  return candidate !== null && typeof candidate === 'object' ? candidate : undefined;
}

export function installNetworkGuard(): NetworkGuard {
  const blocked: string[] = [];
  // Kept to be called with the socket as `this` and put back on uninstall.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = Socket.prototype.connect;

  function guardedLookup(host: string, port: string, lookup: LookupFunction): LookupFunction {
    return (hostname, options, callback) =>
      lookup(hostname, options, (error, address, family) => {
        if (error) return callback(error, address, family);
        const answers = Array.isArray(address) ? address.map((a: LookupAddress) => a.address) : [address];
        const outside = answers.filter((answer) => !isLoopback(answer));
        if (outside.length === 0) return callback(null, address, family);
        blocked.push(...outside.map((answer) => `${answer}:${port} (${host})`));
        return callback(blockedError(outside.join(', ')), address, family);
      });
  }

  /** The socket fails asynchronously, as a refused connection would, and never connects. */
  function block(socket: Socket, target: string): Socket {
    blocked.push(target);
    process.nextTick(() => socket.destroy(blockedError(target)));
    return socket;
  }

  function guardedConnect(this: Socket, ...args: unknown[]): Socket {
    const options = optionsOf(args);
    if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
      // socket.connect(port[, host]): rewritten as options so the checks below apply.
      const host = typeof args[1] === 'string' ? args[1] : 'localhost';
      const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      return guardedConnect.call(this, { port: args[0], host }, ...(callback ? [callback] : []));
    }
    if (options && options.path === undefined) {
      const host = options.host ?? 'localhost';
      const port = String(options.port ?? '');
      if (isIP(host)) {
        if (!isLoopback(host)) return block(this, `${host}:${port}`);
      } else if (options.lookup) {
        options.lookup = guardedLookup(host, port, options.lookup);
      } else if (host === 'localhost') {
        options.lookup = guardedLookup(host, port, systemLookup);
      } else {
        return block(this, `${host}:${port} (system DNS)`);
      }
    }
    return (original as (...a: unknown[]) => Socket).apply(this, args);
  }

  Socket.prototype.connect = guardedConnect;
  return {
    blocked,
    uninstall: () => {
      Socket.prototype.connect = original;
    },
  };
}

function blockedError(target: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`the test network guard blocked a connection to ${target}`), {
    code: 'ETESTBLOCKED',
  });
}
