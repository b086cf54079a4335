/**
 * Issue 13, finding 7: "The rate limiter uses the wall clock": after the system clock stepped back an
 * hour (NTP, a VM restored), every client was refused with `429 Retry-After: 3543`. The signer runs
 * for real; only the wall clock (Date.now) is stepped, as the operating system would.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postJson } from '../support/http.ts';
import { startStack, type Stack } from '../support/stack.ts';

/** The wall clock, steppable: in place before the signer starts, so whatever took Date.now has it. */
const wall = Date.now;
let stepMs = 0;
const stepWallClock = (byMs: number) => void (stepMs += byMs);

let stack: Stack;
beforeAll(async () => {
  Date.now = () => wall() + stepMs;
  stack = await startStack({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
});
afterAll(async () => {
  await stack.stop({ removeData: true });
  Date.now = wall;
});

const create = () => postJson(`${stack.url}/api/orders`, { price: '1.00' });

it('the rate limiter uses the wall clock: no longer, a clock stepped back an hour changes no answer', async () => {
  expect((await create()).status).toBe(201);
  stepWallClock(-3_600_000);
  expect((await create()).status).toBe(201);
  for (let i = 0; i < 3; i++) expect((await create()).status).toBe(201);
  // The budget of five a minute is spent: the wait named is the bucket's, under a minute.
  const refused = await create();
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
});
