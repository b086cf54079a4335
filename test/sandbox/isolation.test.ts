/** Two sandboxes in one process share nothing; a sandbox mounted under a base path answers only there. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedQuery } from '../../server/codepay/protocol.ts';
import { getJson, MERCHANT_ID, MERCHANT_KEY, postJson, startSandbox, type RunningSandbox } from '../support/sandbox.ts';

let one: RunningSandbox;
let two: RunningSandbox;
beforeAll(async () => {
  one = await startSandbox({ basePath: '/sandbox' });
  two = await startSandbox();
});
afterAll(async () => {
  await one.close();
  await two.close();
});

function create(gateway: RunningSandbox, payId: string): Promise<Record<string, unknown>> {
  return getJson(
    `${gateway.url}/creat_order/?${signedQuery({ id: MERCHANT_ID, price: '1', pay_id: payId, page: '4' }, MERCHANT_KEY)}`,
  );
}

describe('isolation', () => {
  it('keeps orders, amounts and faults apart', async () => {
    const first = await create(one, 'shared-name');
    expect(first.money).toBe('1.00');
    expect((await create(two, 'shared-name')).money).toBe('1.00');
    expect((await fetch(`${two.url}/pay/${first.order_id}`)).status).toBe(404);

    await postJson(`${one.url}/_control/faults`, { createOrder: 'fail' });
    expect((await create(one, 'x')).status).toBe(-1);
    expect((await create(two, 'x')).status).toBe(0);
  });

  it('answers only under its base path', async () => {
    const root = one.url.replace(/\/sandbox$/, '');
    expect((await fetch(`${root}/creat_order/`)).status).toBe(404);
    expect((await fetch(`${root}/_control/orders`)).status).toBe(404);
    expect((await fetch(`${one.url}/_control/orders`)).status).toBe(200);
  });
});
