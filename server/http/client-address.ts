/**
 * The client's address behind the reverse proxies TRUST_PROXY names, and the key its limits are
 * counted by. Pure: the HTTP layer passes the X-Forwarded-For header and the socket's peer.
 */
import { isIP, type BlockList } from 'node:net';

/**
 * TRUST_PROXY: how many proxies stand in front of the signer (1: the shipped nginx config; 0: none,
 * X-Forwarded-For is ignored), or the addresses and networks of the proxies.
 */
export type ProxyTrust = { hops: number } | { proxies: BlockList };

/** `[2001:db8::1]:443` or `192.0.2.1:80` (some proxies write ports), `::ffff:192.0.2.1`: the bare address. */
function bareAddress(entry: string): string {
  const text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  const address = bracketed ? bracketed[1] : /^[\d.]+:\d+$/.test(text) ? text.slice(0, text.indexOf(':')) : text;
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

/** Whether the hop `hop` away from the signer (0: the socket's peer) is a proxy we trust. */
function trusted(trust: ProxyTrust, address: string, hop: number): boolean {
  if ('hops' in trust) return hop < trust.hops;
  const family = isIP(address);
  return family !== 0 && trust.proxies.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Each proxy appends the peer it saw to X-Forwarded-For, after whatever the client wrote there. So
 * the client is found from the right: starting at the socket's peer, while the address at hand is a
 * trusted proxy, step to the entry it appended. The first address no trusted proxy stands for is the
 * client; an entry that is no address ends the walk (no proxy we trust wrote it). Without trust,
 * the header is ignored: any client can send it.
 */
export function clientAddress(forwardedFor: string | undefined, peer: string, trust: ProxyTrust): string {
  let client = bareAddress(peer);
  const entries = forwardedFor ? forwardedFor.split(',') : [];
  for (let hop = 0; entries.length > 0 && trusted(trust, client, hop); hop++) {
    const entry = bareAddress(entries.pop()!);
    if (isIP(entry) === 0) break;
    client = entry;
  }
  return client;
}

/** An IPv6 address's first 64 bits, e.g. `2001:db8:0:1` (`::` expanded, leading zeros dropped). */
function ipv6Prefix64(address: string): string {
  const [head, tail] = address.replace(/%.*$/, '').split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  // An IPv4 tail (`::1.2.3.4`) stands for two groups.
  const tailGroups = groups(tail).flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const zeros = Array<string>(8 - groups(head).length - tailGroups.length).fill('0');
  const full = [...groups(head), ...zeros, ...tailGroups];
  return full
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':');
}

/**
 * The key a client's limits are counted by: its address, or for IPv6 its /64 (one subscriber's
 * network: a host there can take any of 2^64 addresses).
 */
export function clientKey(address: string): string {
  return isIP(address) === 6 ? `${ipv6Prefix64(address)}::/64` : address;
}
