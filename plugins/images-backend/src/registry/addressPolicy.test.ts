import { LookupAddress } from 'node:dns';
import {
  RefusedAddressError,
  checkHostBeforeConnecting,
  checkedLookup,
  refusedAddressKind,
} from './addressPolicy';

describe('refusedAddressKind', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.255', 'shared (CGNAT)'],
    ['169.254.10.20', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'cloud metadata'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:a00:1::', 'private'],
    ['ff02::1', 'multicast'],
  ])('refuses %s as %s', (address, kind) => {
    expect(refusedAddressKind(address)).toBe(kind);
  });

  it.each([
    '140.82.112.33',
    '172.32.0.1',
    '100.128.0.1',
    '8.8.8.8',
    '2606:50c0:8000::154',
    '::ffff:8.8.8.8',
  ])('lets %s through', address => {
    expect(refusedAddressKind(address)).toBeUndefined();
  });
});

describe('checkHostBeforeConnecting', () => {
  it('refuses addresses and names that are internal by definition, by the name given', () => {
    const refusal = (host: string) => {
      try {
        checkHostBeforeConnecting(host);
      } catch (error) {
        return (error as Error).message;
      }
      return undefined;
    };
    expect(refusal('169.254.169.254')).toBe(
      '169.254.169.254 is a cloud metadata address',
    );
    expect(refusal('metadata.google.internal')).toBe(
      'metadata.google.internal is a cloud metadata address',
    );
    expect(refusal('METADATA.google.internal.')).toBe(
      'METADATA.google.internal. is a cloud metadata address',
    );
    expect(refusal('[fd00:ec2::254]')).toBe(
      '[fd00:ec2::254] is a cloud metadata address',
    );
    expect(refusal('localhost')).toBe(
      'localhost resolves to a loopback address',
    );
    expect(refusal('registry.localhost')).toBe(
      'registry.localhost resolves to a loopback address',
    );
    expect(refusal('pkg-containers.githubusercontent.com')).toBeUndefined();
  });
});

describe('checkedLookup', () => {
  // The resolver stands in for DNS answers (what a hostile name server could say); no registry is involved.
  const answering =
    (addresses: LookupAddress[]) =>
    (
      _hostname: string,
      _options: unknown,
      callback: (error: null, addresses: LookupAddress[]) => void,
    ) =>
      callback(null, addresses);
  const lookUp = (
    addresses: LookupAddress[],
    options: { all?: boolean } = {},
  ): Promise<unknown[]> =>
    new Promise(resolve =>
      checkedLookup(answering(addresses))('cdn.example', options, (...args) =>
        resolve(args),
      ),
    );

  it('hands the connection the addresses it checked', async () => {
    const [error, address, family] = await lookUp([
      { address: '140.82.112.33', family: 4 },
    ]);
    expect(error).toBeNull();
    expect([address, family]).toEqual(['140.82.112.33', 4]);
    const [, all] = await lookUp(
      [
        { address: '140.82.112.33', family: 4 },
        { address: '2606:50c0:8000::154', family: 6 },
      ],
      { all: true },
    );
    expect(all).toEqual([
      { address: '140.82.112.33', family: 4 },
      { address: '2606:50c0:8000::154', family: 6 },
    ]);
  });

  it('refuses a name when any of its addresses is internal, naming the host, not the address', async () => {
    const [error] = await lookUp(
      [
        { address: '140.82.112.33', family: 4 },
        { address: '10.1.2.3', family: 4 },
      ],
      { all: true },
    );
    expect(error).toBeInstanceOf(RefusedAddressError);
    expect((error as Error).message).toBe(
      'cdn.example resolves to a private address',
    );
    expect((error as Error).message).not.toContain('10.1.2.3');
  });
});
