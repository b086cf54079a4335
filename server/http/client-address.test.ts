import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import { clientAddress, clientKey } from './client-address.ts';

const proxies = new BlockList();
proxies.addAddress('127.0.0.1');
proxies.addSubnet('10.0.0.0', 8);

describe('clientAddress', () => {
  it('ignores X-Forwarded-For without trust: any client can send it', () => {
    expect(clientAddress('192.0.2.1', '198.51.100.9', { hops: 0 })).toBe('198.51.100.9');
  });

  it('behind one proxy takes the entry that proxy appended, not the ones the client wrote', () => {
    expect(clientAddress('6.6.6.6, 192.0.2.1', '127.0.0.1', { hops: 1 })).toBe('192.0.2.1');
    expect(clientAddress('192.0.2.1', '127.0.0.1', { hops: 1 })).toBe('192.0.2.1');
    expect(clientAddress('6.6.6.6, 10.0.0.2, 192.0.2.1', '127.0.0.1', { hops: 2 })).toBe('10.0.0.2');
  });

  it('skips listed proxies from the right, and trusts nothing when the peer is not one', () => {
    expect(clientAddress('6.6.6.6, 192.0.2.1, 10.1.1.1', '127.0.0.1', { proxies })).toBe('192.0.2.1');
    expect(clientAddress('6.6.6.6, 192.0.2.1', '198.51.100.9', { proxies })).toBe('198.51.100.9');
  });

  it('stops at an entry that is no address, and falls back to the peer without a header', () => {
    expect(clientAddress('6.6.6.6, not-an-ip', '127.0.0.1', { hops: 1 })).toBe('127.0.0.1');
    expect(clientAddress(undefined, '::ffff:127.0.0.1', { hops: 1 })).toBe('127.0.0.1');
    expect(clientAddress('', '127.0.0.1', { hops: 3 })).toBe('127.0.0.1');
  });

  it('reads ports and brackets some proxies add, and IPv4-mapped IPv6 as IPv4', () => {
    expect(clientAddress('[2001:db8::7]:443', '127.0.0.1', { hops: 1 })).toBe('2001:db8::7');
    expect(clientAddress('192.0.2.1:5678', '127.0.0.1', { hops: 1 })).toBe('192.0.2.1');
    expect(clientAddress('::FFFF:192.0.2.1', '127.0.0.1', { hops: 1 })).toBe('192.0.2.1');
  });
});

describe('clientKey', () => {
  it('is the address for IPv4, the /64 for IPv6, however the address is written', () => {
    expect(clientKey('192.0.2.1')).toBe('192.0.2.1');
    const same = [
      '2001:db8:1:2::1',
      '2001:0db8:0001:0002:ffff:ffff:ffff:ffff',
      '2001:db8:1:2:0:0:1.2.3.4',
      '2001:db8:1:2::%eth0',
    ];
    expect(new Set(same.map(clientKey))).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(clientKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });
});
