/** The gateway's notify at a real signer: paid, duplicate, forged, tampered, unknown, late, review. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { sign } from '../../server/codepay/protocol.ts';
import { SANDBOX_MERCHANT_KEY } from '../../server/sandbox/credentials.ts';
import { createOrder, eventually, payAtSandbox, postForm, postJson, requestJson } from '../support/http.ts';
import { notifyFor, signedForm } from '../support/notify.ts';
import { runPhp } from '../support/php.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop({ removeData: true }));

const formOf = signedForm;
const notify = (body: string) => postForm(`${stack.url}/api/notify`, body);
const view = async (id: string) => (await requestJson<OrderView>(`${stack.url}/api/orders/${id}`)).body;
const attemptsFor = async (id: string) =>
  (await requestJson(`${stack.sandboxUrl}/_control/attempts?pay_id=${id}`)).body;

describe('a buyer paying at the sandbox', () => {
  it('turns the order paid; the sandbox gets `success` once and stops re-sending', async () => {
    const order = await createOrder(stack.url, { price: '12.34', param: 'user-7' });
    const payment = await payAtSandbox(order.qr!.payload!);
    const paid = await eventually(async () => {
      const current = await view(order.id);
      return current.status === 'paid' ? current : undefined;
    });
    expect(paid).toMatchObject({ late: false, money: order.money });
    expect(paid.paidAt).toBeGreaterThanOrEqual(order.createdAt);
    const attempts = await attemptsFor(order.id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ status: 200, body: 'success', success: true });
    const recorded = await stack.signer.store.getPayment(payment.pay_no);
    expect(recorded).toMatchObject({
      orderId: order.id,
      outcome: 'paid',
      money: Math.round(Number(order.money) * 100),
    });
    expect(recorded!.fields.param).toBe('user-7');
  });
});

describe('POST /api/notify', () => {
  it('accepts a notify signed by the CodePay side in PHP (sign_notify.php)', async () => {
    const order = await createOrder(stack.url, { price: '8.80' });
    const fields = notifyFor(order);
    const body = runPhp('sign_notify.php', [
      SANDBOX_MERCHANT_KEY,
      ...Object.entries(fields).map(([key, value]) => `${key}=${value}`),
    ]);
    expect(await notify(body)).toEqual({ status: 200, text: 'success' });
    expect((await view(order.id)).status).toBe('paid');
  });

  it('answers success to a duplicate pay_no and changes nothing', async () => {
    const order = await createOrder(stack.url, { price: '2.00' });
    const body = formOf(notifyFor(order));
    expect((await notify(body)).text).toBe('success');
    const before = await stack.signer.store.counts();
    const paidAt = (await view(order.id)).paidAt;
    for (let replay = 0; replay < 3; replay++) expect(await notify(body)).toEqual({ status: 200, text: 'success' });
    expect(await stack.signer.store.counts()).toEqual(before);
    expect((await view(order.id)).paidAt).toBe(paidAt);
  });

  it('counts a notify sent twice at once exactly once', async () => {
    const order = await createOrder(stack.url, { price: '2.50' });
    const body = formOf(notifyFor(order));
    const before = (await stack.signer.store.counts()).payments.paid ?? 0;
    const answers = await Promise.all(Array.from({ length: 8 }, () => notify(body)));
    expect(answers.every((answer) => answer.text === 'success')).toBe(true);
    expect((await stack.signer.store.counts()).payments.paid).toBe(before + 1);
  });

  it('answers fail to a forged or tampered notify and changes nothing', async () => {
    const order = await createOrder(stack.url, { price: '3.00' });
    const fields = notifyFor(order);
    const genuine = new URLSearchParams(formOf(fields));
    const tampered = (name: string, value: string) => {
      const copy = new URLSearchParams(genuine);
      copy.set(name, value);
      return copy.toString();
    };
    const before = await stack.signer.store.counts();
    const refused = [
      formOf(fields, 'not-the-merchant-key'),
      tampered('money', '0.01'),
      tampered('pay_id', 'someone-elses-order'),
      tampered('sign', sign(fields, SANDBOX_MERCHANT_KEY).toUpperCase()),
      `${genuine}&money=0.01`,
      formOf({ ...fields, pay_no: '' }),
      formOf({ ...fields, pay_id: '' }),
      '',
      'garbage=%%%',
    ];
    for (const body of refused) expect(await notify(body), body).toEqual({ status: 400, text: 'fail' });
    const asJson = await fetch(`${stack.url}/api/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fields),
    });
    expect([asJson.status, await asJson.text()]).toEqual([400, 'fail']);
    expect(await stack.signer.store.counts()).toEqual(before);
    expect((await view(order.id)).status).toBe('pending');
  });

  it('keeps a payment for an order it does not know as an orphan, and answers success', async () => {
    const fields = notifyFor({ id: 'unknown-order-id', money: '1.00', price: '1.00', type: 1, param: null });
    expect(await notify(formOf(fields))).toEqual({ status: 200, text: 'success' });
    expect(await stack.signer.store.getPayment(fields.pay_no)).toMatchObject({
      orderId: null,
      outcome: 'orphan',
      money: 100,
    });
  });

  it('sends a payment of a different amount to review, not paid', async () => {
    const order = await createOrder(stack.url, { price: '6.00' });
    await postJson(`${stack.sandboxUrl}/_control/faults`, { pay_id: order.id, differentMoney: true });
    const payment = await payAtSandbox(order.qr!.payload!);
    await eventually(async () => ((await view(order.id)).status === 'review' ? true : undefined));
    expect(await stack.signer.store.getPayment(payment.pay_no)).toMatchObject({ outcome: 'review' });
  });

  it('keeps a second payment for a paid order, and the order stays paid', async () => {
    const order = await createOrder(stack.url, { price: '7.00' });
    expect((await notify(formOf(notifyFor(order)))).text).toBe('success');
    const second = notifyFor(order);
    expect((await notify(formOf(second))).text).toBe('success');
    expect(await stack.signer.store.getPayment(second.pay_no)).toMatchObject({ outcome: 'extra', orderId: order.id });
    expect((await view(order.id)).status).toBe('paid');
  });
});

describe('a late payment', () => {
  let shortLived: Stack;
  beforeAll(async () => {
    shortLived = await startStack({ env: { ORDER_TTL: '1' } });
  });
  afterAll(() => shortLived.stop({ removeData: true }));

  it('expires an unpaid order, then still takes the money and marks it late', async () => {
    const order = await createOrder(shortLived.url, { price: '4.00' });
    const expired = await eventually(async () => {
      const current = (await requestJson<OrderView>(`${shortLived.url}/api/orders/${order.id}`)).body;
      return current.status === 'expired' ? current : undefined;
    });
    expect(expired.paidAt).toBeNull();
    const payment = await payAtSandbox(order.qr!.payload!);
    expect(payment.late).toBe(true);
    const paid = await eventually(async () => {
      const current = (await requestJson<OrderView>(`${shortLived.url}/api/orders/${order.id}`)).body;
      return current.status === 'paid' ? current : undefined;
    });
    expect(paid.late).toBe(true);
    expect(await shortLived.signer.store.getPayment(payment.pay_no)).toMatchObject({ outcome: 'late' });
  });
});
