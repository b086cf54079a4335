/**
 * Attacks on the payment notify that the notify tests do not already cover: a replay after the
 * signer restarted, and a genuine signed payment reshaped to name someone else's order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { sign, type Params } from '../../server/codepay/protocol.ts';
import { SANDBOX_MERCHANT_KEY } from '../../server/sandbox/credentials.ts';
import { createOrder, eventually, postForm, postJson, requestJson } from '../support/http.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  // With return pages, the gateway hands the buyer the signed payment fields (CodePay's synchronous notify).
  stack = await startStack({ env: { RETURN_SUCCESS_URL: 'https://shop.example.com/thanks' } });
});
afterAll(() => stack.stop({ removeData: true }));

const view = async (url: string, id: string) => (await requestJson<OrderView>(`${url}/api/orders/${id}`)).body;
const paid = (url: string, id: string) =>
  eventually(async () => ((await view(url, id)).status === 'paid' ? view(url, id) : undefined));

/** Pays at the sandbox as a buyer and returns the signed fields the buyer's return link carries. */
async function payAndReadReturnLink(order: OrderView): Promise<Params> {
  const answer = await requestJson(order.qr!.payload!, { method: 'POST', headers: { accept: 'application/json' } });
  expect(answer.body.return_link).toContain('sign=');
  return Object.fromEntries(new URL(answer.body.return_link).searchParams);
}

describe('a replayed notify', () => {
  it('is still counted once after the signer restarted on the same data', async () => {
    const own = await startStack();
    const order = await createOrder(own.url, { price: '3.30' });
    const fields: Params = {
      pay_id: order.id,
      money: order.money!,
      price: order.price,
      type: '1',
      pay_no: `7${Date.now()}`,
      pay_time: '1',
      status: '2',
    };
    const body = new URLSearchParams({ ...fields, sign: sign(fields, SANDBOX_MERCHANT_KEY) }).toString();
    expect((await postForm(`${own.url}/api/notify`, body)).text).toBe('success');
    const first = await view(own.url, order.id);
    await own.stop();

    const restarted = await startStack({ dataDir: own.dataDir });
    try {
      const before = await restarted.signer.store.counts();
      for (let replay = 0; replay < 3; replay++)
        expect(await postForm(`${restarted.url}/api/notify`, body)).toEqual({ status: 200, text: 'success' });
      expect(await restarted.signer.store.counts()).toEqual(before);
      expect(await view(restarted.url, order.id)).toMatchObject({ status: 'paid', paidAt: first.paidAt });
    } finally {
      await restarted.stop({ removeData: true });
    }
  });
});

describe("a notify for someone else's order", () => {
  it('cannot be made by moving a signed field boundary through the buyer-chosen param', async () => {
    // The victim's order, and the attacker's of the same amount on another channel (so the same money).
    const victim = await createOrder(stack.url, { price: '5.00', type: 3 });
    // The canonical string joins raw values with & and =: this param makes "…&param=x&pay_id=VICTIM&pay_id0=&pay_id=MINE&pay_no=…"
    // which is also the canonical string of {param: x, pay_id: VICTIM, pay_id0: "&pay_id=MINE", pay_no: …}.
    const crafted = `x&pay_id=${victim.id}&pay_id0=`;
    const mine = await postJson(`${stack.url}/api/orders`, { price: '5.00', type: 1, param: crafted });
    if (mine.status === 201) {
      // Accepted: play the attack through. The gateway's own notify is late (it happens), so the forgery comes first.
      expect(mine.body.money).toBe(victim.money);
      await postJson(`${stack.sandboxUrl}/_control/faults`, { pay_id: mine.body.id, notifyDelayMs: 500 });
      const genuine = await payAndReadReturnLink(mine.body);
      const { param: _param, pay_id: _payId, ...rest } = genuine;
      const reshaped = new URLSearchParams({
        ...rest,
        param: 'x',
        pay_id: victim.id,
        pay_id0: `&pay_id=${mine.body.id}`,
      }).toString();
      await postForm(`${stack.url}/api/notify`, reshaped);
      const attempts = () => requestJson(`${stack.sandboxUrl}/_control/attempts?pay_id=${mine.body.id}`);
      await eventually(async () =>
        (await attempts()).body.some((attempt: { success: boolean }) => attempt.success) ? true : undefined,
      );
      expect((await view(stack.url, victim.id)).status, 'the victim order').toBe('pending');
      expect((await view(stack.url, mine.body.id)).status, "the attacker's own order").toBe('paid');
    } else {
      expect(mine.body.error.code).toBe('INVALID_PARAM');
    }
    expect((await view(stack.url, victim.id)).status).toBe('pending');
  });

  it("cannot be made by swapping the pay_id of one's own signed payment, via the notify or the return link", async () => {
    const victim = await createOrder(stack.url, { price: '6.00', type: 3 });
    const mine = await createOrder(stack.url, { price: '6.00', type: 1 });
    const genuine = await payAndReadReturnLink(mine);
    const swapped = new URLSearchParams({ ...genuine, pay_id: victim.id }).toString();
    expect(await postForm(`${stack.url}/api/notify`, swapped)).toEqual({ status: 400, text: 'fail' });
    await fetch(`${stack.url}/api/return?${swapped}`, { redirect: 'manual' });
    expect((await paid(stack.url, mine.id)).status).toBe('paid');
    expect((await view(stack.url, victim.id)).status).toBe('pending');
  });
});
