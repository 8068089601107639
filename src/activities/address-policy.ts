import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Which addresses a CSV download may connect to. A campaign's CSV URL comes from whoever can start a workflow, and
 * the worker's network position is not theirs to borrow: only public unicast addresses are reachable, unless the
 * operator names a host or range (an on-premises file server) in BOLNA_CSV_ALLOWED_HOSTS. Cloud metadata services
 * hand out the machine's credentials, so they stay out of reach whatever is allowed.
 */

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface HostAllowlist {
  /** Host names, lower case, without a trailing dot. */
  names: ReadonlySet<string>;
  /** Addresses and CIDR ranges (a bare address is a range of one). */
  ranges: readonly [Address, number][];
}

/** AWS, GCP, Azure, OCI (169.254.169.254), AWS ECS task credentials, AWS over IPv6, Alibaba Cloud. */
const metadataAddresses = new Set(['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200']);

/** IPv4-compatible IPv6 (deprecated): ipaddr.js calls it unicast, but it carries an IPv4 address. */
const ipv4Compatible = ipaddr.parseCIDR('::/96');
const ipv4CompatibleWords = 'an IPv4-compatible IPv6 address; allow it with BOLNA_CSV_ALLOWED_HOSTS';

const rangeWords: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private (RFC 1918) address',
  uniqueLocal: 'a private (unique local) address',
  linkLocal: 'a link-local address',
  unspecified: 'the unspecified address',
  carrierGradeNat: 'a carrier-grade NAT address',
};

const hostName = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** A host name as compared: lower case, no trailing dot, IPv6 without brackets. */
export function bareHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

/**
 * Parses BOLNA_CSV_ALLOWED_HOSTS entries: host names, IP addresses and CIDR ranges.
 * @throws Error naming the first entry that is none of these.
 */
export function parseAllowedHosts(entries: readonly string[]): HostAllowlist {
  const names = new Set<string>();
  const ranges: [Address, number][] = [];
  for (const entry of entries) {
    const host = bareHost(entry);
    const [address = '', prefix] = host.split('/');
    if (prefix !== undefined) {
      if (!isIP(address) || !/^\d{1,3}$/.test(prefix) || !ipaddr.isValidCIDR(host)) {
        throw new Error(`'${entry}' is not a CIDR range such as 10.20.0.0/16`);
      }
      const [network, bits] = ipaddr.parseCIDR(host);
      const mapped = network.kind() === 'ipv6' && (network as ipaddr.IPv6).isIPv4MappedAddress();
      ranges.push([normalised(network), mapped ? Math.max(0, bits - 96) : bits]);
    } else if (isIP(host)) {
      const exact = normalised(ipaddr.parse(host));
      ranges.push([exact, exact.kind() === 'ipv4' ? 32 : 128]);
    } else if (hostName.test(host)) {
      names.add(host);
    } else {
      throw new Error(`'${entry}' is not a host name, an IP address or a CIDR range`);
    }
  }
  return { names, ranges };
}

/** IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is the IPv4 address it maps: the socket reaches that host. */
function normalised(address: Address): Address {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

/**
 * Why the download may not connect to `address` (for the error message), or undefined when it may.
 * `namedHostAllowed`: the URL's host name is in the allowlist, which allows whatever it resolves to.
 */
export function refusalOf(
  address: string,
  allowlist: HostAllowlist,
  namedHostAllowed: boolean,
): string | undefined {
  if (!isIP(address)) return 'not an IP address';
  const ip = normalised(ipaddr.parse(address));
  if (metadataAddresses.has(ip.toString())) {
    return 'a cloud metadata address, which is never allowed';
  }
  if (namedHostAllowed) return undefined;
  if (allowlist.ranges.some(([network, bits]) => network.kind() === ip.kind() && ip.match(network, bits))) {
    return undefined;
  }
  const range = ip.range();
  if (range === 'unicast') {
    if (ip.kind() === 'ipv6' && ip.match(ipv4Compatible)) return ipv4CompatibleWords;
    return undefined;
  }
  return `${rangeWords[range] ?? `a non-public address (${range})`}; allow it with BOLNA_CSV_ALLOWED_HOSTS`;
}
