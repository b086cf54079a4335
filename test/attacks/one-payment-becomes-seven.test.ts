/**
 * Issue 13, finding 1: "One payment becomes seven". The canonical string joins raw values with `&`
 * and `=`, so a genuine signed field set can be re-cut (a field's value swallowing the fields after
 * it, or a name doing so) into another set with the same canonical string and so the same `sign`.
 * The buyer holds such a set: the signed return link the gateway sends them back with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { canonicalString, type Params } from '../../server/codepay/protocol.ts';
import { eventually, createOrder, postForm, postJson, requestJson } from '../support/http.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  // With return pages, the gateway hands the buyer the signed payment fields (CodePay's synchronous notify).
  stack = await startStack({ env: { RETURN_SUCCESS_URL: 'https://shop.example.com/thanks' } });
});
afterAll(() => stack.stop({ removeData: true }));

const view = async (id: string) => (await requestJson<OrderView>(`${stack.url}/api/orders/${id}`)).body;
const paymentsOf = (orderId: string) => stack.signer.store.listPayments({ orderId });
const notify = (fields: Params) => postForm(`${stack.url}/api/notify`, new URLSearchParams(fields).toString());
const followReturn = (fields: Params) =>
  fetch(`${stack.url}/api/return?${new URLSearchParams(fields)}`, { redirect: 'manual' });
const genuineNotified = (orderId: string) =>
  eventually(async () => {
    const attempts = (await requestJson(`${stack.sandboxUrl}/_control/attempts?pay_id=${orderId}`)).body;
    return attempts.some((attempt: { success: boolean }) => attempt.success) || undefined;
  });

/** Pays at the sandbox as a buyer and returns the signed fields of the return link they are sent back with. */
async function payAndReadReturnLink(order: OrderView): Promise<Params> {
  const answer = await requestJson(order.qr!.payload!, { method: 'POST', headers: { accept: 'application/json' } });
  expect(answer.body.return_link).toContain('sign=');
  return Object.fromEntries(new URL(answer.body.return_link).searchParams);
}

/** The signed names in canonical order (what the sign covers), sign left out. */
const signedNames = (fields: Params) =>
  Object.keys(fields)
    .filter((name) => name !== 'sign' && fields[name] !== '')
    .sort();

/** `into`'s value swallows the `count` signed fields after it: `pay_no=N&pay_tag=0` -> `pay_no=N%26pay_tag%3D0`. */
function foldValue(fields: Params, into: string, count: number): Params {
  const names = signedNames(fields);
  const swallowed = names.slice(names.indexOf(into) + 1, names.indexOf(into) + 1 + count);
  const recut: Params = {
    ...fields,
    [into]: [fields[into], ...swallowed.map((name) => `${name}=${fields[name]}`)].join('&'),
  };
  for (const name of swallowed) delete recut[name];
  return recut;
}

/** A name swallows the field after it: `chart=utf-8&money=9.90` read as the field `chart=utf-8&money` of value 9.90. */
function foldName(fields: Params, name: string): Params {
  const names = signedNames(fields);
  const next = names[names.indexOf(name) + 1];
  const { [name]: value, [next]: nextValue, ...rest } = fields;
  return { ...rest, [`${name}=${value}&${next}`]: nextValue };
}

describe('a re-cut of a genuine signed payment', () => {
  it('folding pay_no: six re-cuts of one paid order add no payment, on the notify or the return link', async () => {
    const order = await createOrder(stack.url, { price: '9.90' });
    const genuine = await payAndReadReturnLink(order);
    await genuineNotified(order.id);
    expect(await paymentsOf(order.id)).toHaveLength(1);
    const after = signedNames(genuine).length - signedNames(genuine).indexOf('pay_no') - 1;
    expect(after, 'fields after pay_no to fold').toBeGreaterThanOrEqual(6);
    for (let count = 1; count <= 6; count++) {
      const recut = foldValue(genuine, 'pay_no', count);
      expect(canonicalString(recut), 'the same canonical string, so the same sign').toBe(canonicalString(genuine));
      expect(await notify(recut)).toEqual({ status: 400, text: 'fail' });
      await followReturn(recut);
    }
    expect((await paymentsOf(order.id)).map((payment) => payment.outcome)).toEqual(['paid']);
    expect(await view(order.id)).toMatchObject({ status: 'paid', money: order.money });
  });

  it('folding money into the field before it, before the genuine notify: refused, the order is paid in full after', async () => {
    const order = await createOrder(stack.url, { price: '7.70' });
    await postJson(`${stack.sandboxUrl}/_control/faults`, { pay_id: order.id, notifyDelayMs: 800 });
    const genuine = await payAndReadReturnLink(order);
    const recut = foldValue(genuine, signedNames(genuine)[signedNames(genuine).indexOf('money') - 1], 1);
    expect(recut.money).toBeUndefined();
    expect(canonicalString(recut)).toBe(canonicalString(genuine));
    expect(await notify(recut)).toEqual({ status: 400, text: 'fail' });
    expect((await view(order.id)).status).toBe('pending');
    await genuineNotified(order.id);
    expect(await view(order.id)).toMatchObject({ status: 'paid', money: order.money });
    expect((await paymentsOf(order.id)).map((payment) => [payment.outcome, payment.money])).toEqual([
      ['paid', Math.round(Number(order.money) * 100)],
    ]);
  });

  it('folding money into a field name, via the return link before the genuine notify: refused, the order is paid in full after', async () => {
    const order = await createOrder(stack.url, { price: '6.60' });
    await postJson(`${stack.sandboxUrl}/_control/faults`, { pay_id: order.id, notifyDelayMs: 800 });
    const genuine = await payAndReadReturnLink(order);
    const recut = foldName(genuine, signedNames(genuine)[signedNames(genuine).indexOf('money') - 1]);
    expect(recut.money).toBeUndefined();
    expect(canonicalString(recut)).toBe(canonicalString(genuine));
    await followReturn(recut);
    expect(await notify(recut)).toEqual({ status: 400, text: 'fail' });
    expect((await view(order.id)).status).toBe('pending');
    await genuineNotified(order.id);
    expect(await view(order.id)).toMatchObject({ status: 'paid', money: order.money });
    expect(await paymentsOf(order.id)).toHaveLength(1);
  });
});
