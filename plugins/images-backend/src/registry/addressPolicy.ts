import { LookupAddress, lookup as dnsLookup } from 'node:dns';
import { isIP, LookupFunction } from 'node:net';

/**
 * Where a redirect to another origin may lead. Blob downloads follow a registry's redirect to its storage or CDN;
 * a registry (or whoever controls its answers) must not use that to make Berth reach into its own network: loopback,
 * private, link-local and cloud metadata addresses are refused unless the host is a configured registry.
 */

/** Why an address is out of bounds, in words for a message ("a loopback address"). */
export type RefusedAddressKind =
  | 'loopback'
  | 'private'
  | 'shared (CGNAT)'
  | 'link-local'
  | 'cloud metadata'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

/** A redirect target Berth refused to connect to; `host` is the name it was given, never the resolved address. */
export class RefusedAddressError extends Error {
  readonly code = 'BERTH_REFUSED_ADDRESS';
  readonly host: string;
  readonly addressKind: RefusedAddressKind;
  /** True when the host is a name that resolved to such an address (not an address itself). */
  readonly resolved: boolean;
  /** What is wrong with the host, to follow it in a message: "resolves to a loopback address". */
  readonly reason: string;

  constructor(
    host: string,
    addressKind: RefusedAddressKind,
    resolved: boolean,
  ) {
    const reason = `${resolved ? 'resolves to' : 'is'} ${article(
      addressKind,
    )} ${addressKind} address`;
    super(`${host} ${reason}`);
    this.reason = reason;
    this.name = 'RefusedAddressError';
    this.host = host;
    this.addressKind = addressKind;
    this.resolved = resolved;
  }
}

function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? 'an' : 'a';
}

// Cloud metadata services by name; their addresses are covered below (169.254.169.254, fd00:ec2::254).
const METADATA_NAMES = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
]);

type V4Range = [number, number, RefusedAddressKind];

const V4_RANGES: V4Range[] = [
  [cidr4('169.254.169.254'), 32, 'cloud metadata'],
  [cidr4('0.0.0.0'), 8, 'unspecified'],
  [cidr4('10.0.0.0'), 8, 'private'],
  [cidr4('100.64.0.0'), 10, 'shared (CGNAT)'],
  [cidr4('127.0.0.0'), 8, 'loopback'],
  [cidr4('169.254.0.0'), 16, 'link-local'],
  [cidr4('172.16.0.0'), 12, 'private'],
  [cidr4('192.0.0.0'), 24, 'reserved'],
  [cidr4('192.168.0.0'), 16, 'private'],
  [cidr4('198.18.0.0'), 15, 'reserved'],
  [cidr4('224.0.0.0'), 4, 'multicast'],
  [cidr4('240.0.0.0'), 4, 'reserved'],
];

function cidr4(address: string): number {
  return address
    .split('.')
    .reduce((value, part) => value * 256 + Number(part), 0);
}

function classifyV4(value: number): RefusedAddressKind | undefined {
  for (const [base, bits, kind] of V4_RANGES) {
    const size = 2 ** (32 - bits);
    if (value >= base && value < base + size) return kind;
  }
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (with an embedded dotted IPv4 tail, as in `::ffff:127.0.0.1`). */
function groupsOf(address: string): number[] | undefined {
  let text = address.replace(/%.*$/, '').toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = cidr4(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(v4 >>> 16).toString(16)}:${(
      v4 & 0xffff
    ).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) =>
    part ? part.split(':').map(group => parseInt(group, 16)) : [];
  const front = parse(head);
  const back = parse(tail);
  const missing = 8 - front.length - back.length;
  if (text.includes('::') ? missing < 0 : missing !== 0) return undefined;
  const groups = [...front, ...Array(missing).fill(0), ...back];
  return groups.every(g => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : undefined;
}

function classifyV6(address: string): RefusedAddressKind | undefined {
  const g = groupsOf(address);
  if (!g) return 'reserved';
  const v4At = (hi: number) => g[hi] * 65536 + g[hi + 1];
  const zeroUpTo = (n: number) => g.slice(0, n).every(x => x === 0);
  if (g.every(x => x === 0)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  // IPv4 written in IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d), 6to4 (2002:ab:cd::).
  if (zeroUpTo(5) && g[5] === 0xffff) return classifyV4(v4At(6));
  if (zeroUpTo(6)) return classifyV4(v4At(6));
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every(x => x === 0))
    return classifyV4(v4At(6));
  if (g[0] === 0x2002) return classifyV4(v4At(1));
  if (
    g[0] === 0xfd00 &&
    g[1] === 0x0ec2 &&
    g.slice(2, 7).every(x => x === 0) &&
    g[7] === 0x254
  )
    return 'cloud metadata';
  if ((g[0] & 0xfe00) === 0xfc00) return 'private';
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0] & 0xffc0) === 0xfec0) return 'private';
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  return undefined;
}

/** Why Berth may not connect to this IP address on a registry's say-so; undefined for a public address. */
export function refusedAddressKind(
  address: string,
): RefusedAddressKind | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  switch (isIP(bare)) {
    case 4:
      return classifyV4(cidr4(bare));
    case 6:
      return classifyV6(bare);
    default:
      return undefined;
  }
}

/** A host name as a resolver sees it: lower case, brackets and the root's trailing dot removed. */
function bareHost(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '');
}

/**
 * Checks what can be checked before connecting: an IP address, or a name that is a metadata service or loopback by
 * definition. Names are checked again by what they resolve to, when connecting ({@link checkedLookup}).
 */
export function checkHostBeforeConnecting(hostname: string): void {
  const host = bareHost(hostname);
  if (isIP(host)) {
    const kind = refusedAddressKind(host);
    if (kind) throw new RefusedAddressError(hostname, kind, false);
    return;
  }
  if (METADATA_NAMES.has(host))
    throw new RefusedAddressError(hostname, 'cloud metadata', false);
  if (host === 'localhost' || host.endsWith('.localhost'))
    throw new RefusedAddressError(hostname, 'loopback', true);
}

type Resolver = (
  hostname: string,
  options: { all: true; family?: number; hints?: number },
  callback: (
    error: NodeJS.ErrnoException | null,
    addresses: LookupAddress[],
  ) => void,
) => void;

const systemResolver: Resolver = (hostname, options, callback) =>
  dnsLookup(hostname, options, callback);

/**
 * A `lookup` for `net.connect` that resolves once and refuses the connection if any address the name resolves to is
 * out of bounds. The socket connects to the addresses checked here, so a name cannot answer differently between the
 * check and the connection (DNS rebinding).
 */
export function checkedLookup(
  resolve: Resolver = systemResolver,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(
      hostname,
      {
        all: true,
        family: options.family as number | undefined,
        hints: options.hints,
      },
      (error, addresses) => {
        const done = callback as (...args: unknown[]) => void;
        if (error) {
          done(error);
          return;
        }
        for (const { address } of addresses) {
          const kind = refusedAddressKind(address);
          if (kind) {
            done(new RefusedAddressError(hostname, kind, true));
            return;
          }
        }
        if (addresses.length === 0) {
          done(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }));
        } else if (options.all) {
          done(null, addresses);
        } else {
          done(null, addresses[0].address, addresses[0].family);
        }
      },
    );
  };
}
