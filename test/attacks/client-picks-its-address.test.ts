/**
 * Issue 13, finding 3: "Behind the shipped nginx config the client picks its own address". A proxy
 * appends the peer it saw to X-Forwarded-For, after whatever the client wrote there: the client is
 * the rightmost entry no trusted proxy added, never the leftmost. IPv6 clients share a budget per /64.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson } from '../support/http.ts';
import { startNginx, type Nginx } from '../support/nginx.ts';
import { startStack, type Stack } from '../support/stack.ts';

const BUDGET = 3;

/** How many of `tries` orders were created (201); every other answer must be the rate limit's. */
async function created(
  url: string,
  tries: number,
  forwardedFor: (attempt: number) => string | undefined,
): Promise<number> {
  let count = 0;
  for (let attempt = 0; attempt < tries; attempt++) {
    const header = forwardedFor(attempt);
    const answer = await postJson(
      `${url}/api/orders`,
      { price: '1.00' },
      header === undefined ? {} : { 'x-forwarded-for': header },
    );
    if (answer.status === 201) count++;
    else expect([answer.status, answer.body.error.code]).toEqual([429, 'RATE_LIMITED']);
  }
  return count;
}

describe('behind the shipped nginx config (TRUST_PROXY=1)', () => {
  let stack: Stack;
  let nginx: Nginx;
  beforeAll(async () => {
    stack = await startStack({ env: { TRUST_PROXY: '1', RATE_LIMIT_PER_MINUTE: String(BUDGET) } });
    nginx = await startNginx([new URL(stack.url).host]);
  });
  afterAll(async () => {
    await nginx?.stop();
    await stack?.stop({ removeData: true });
  });

  it('a client forging X-Forwarded-For gets no more orders than its budget', async () => {
    const forged = await created(
      nginx.url,
      3 * BUDGET,
      (attempt) => `198.51.100.${attempt + 1}, 203.0.113.${attempt + 1}`,
    );
    expect(forged).toBe(BUDGET);
    // nginx saw 127.0.0.1 every time: the same client, without a header too.
    expect(await created(nginx.url, 2, () => undefined)).toBe(0);
  });
});

describe('a signer trusting one proxy hop, reached by that proxy', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { TRUST_PROXY: '1', RATE_LIMIT_PER_MINUTE: String(BUDGET) } });
  });
  afterAll(() => stack?.stop({ removeData: true }));

  it('takes the entry the proxy appended, whatever the client wrote before it', async () => {
    expect(await created(stack.url, BUDGET + 2, (attempt) => `10.9.9.${attempt}, 192.0.2.10`)).toBe(BUDGET);
    expect(await created(stack.url, 1, () => '192.0.2.11')).toBe(1);
  });

  it('limits IPv6 clients by their /64: every address in it shares one budget', async () => {
    expect(await created(stack.url, BUDGET + 2, (attempt) => `2001:db8:1:2::${attempt + 1}`)).toBe(BUDGET);
    expect(await created(stack.url, 1, () => '2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(0);
    expect(await created(stack.url, 1, () => '2001:0db8:0001:0002:0:0:0:abcd')).toBe(0);
    expect(await created(stack.url, 1, () => '2001:db8:1:3::1')).toBe(1);
  });
});

describe('a signer trusting a list of proxies (TRUST_PROXY=127.0.0.1,10.0.0.0/8)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { TRUST_PROXY: '127.0.0.1, 10.0.0.0/8', RATE_LIMIT_PER_MINUTE: String(BUDGET) } });
  });
  afterAll(() => stack?.stop({ removeData: true }));

  it('skips every trusted proxy from the right and stops at the first address none of them is', async () => {
    // The client 192.0.2.20 went through 10.0.0.5 and then 10.0.0.1 (and the local peer): forged entries before it count for nothing.
    expect(
      await created(stack.url, BUDGET + 2, (attempt) => `198.51.100.${attempt}, 192.0.2.20, 10.0.0.5, 10.0.0.1`),
    ).toBe(BUDGET);
    // Another client behind the same proxies has a budget of its own.
    expect(await created(stack.url, 1, () => '192.0.2.21, 10.0.0.1')).toBe(1);
  });
});
