/** The notify: signed like the document, re-sent on the schedule until the merchant answers `success`. */
import { describe, expect, it } from 'vitest';
import { signedQuery, verify } from '../../server/codepay/protocol.ts';
import {
  attempts,
  closedAfterEach,
  getJson,
  MERCHANT_ID,
  MERCHANT_KEY,
  phpCreateOrderUrl,
  phpSignNotify,
  type RunningSandbox,
  startMerchant,
  startPhpNotify,
  startSandbox,
  waitFor,
} from '../support/sandbox.ts';

const { later, sandbox } = closedAfterEach();

async function createOrder(gateway: RunningSandbox, params: Record<string, string>): Promise<Record<string, unknown>> {
  const answer = await getJson(
    `${gateway.url}/creat_order/?${signedQuery({ id: MERCHANT_ID, page: '4', ...params }, MERCHANT_KEY)}`,
  );
  expect(answer.status).toBe(0);
  return answer;
}

async function pay(gateway: RunningSandbox, orderId: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${gateway.url}/pay/${orderId}`, {
    method: 'POST',
    headers: { accept: 'application/json' },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function paymentState(gateway: RunningSandbox, orderId: unknown): Promise<string> {
  const [payment] = (await getJson(`${gateway.url}/_control/payments?order_id=${orderId}`)) as unknown as {
    notify: string;
  }[];
  return payment.notify;
}

/** Resolves when the notify of the order has stopped for good: delivered, given up or unsendable. */
function settled(gateway: RunningSandbox, orderId: unknown): Promise<string> {
  return waitFor(async () => {
    const state = await paymentState(gateway, orderId);
    return state === 'sending' ? undefined : state;
  }, 'the notify to settle');
}

/** Longer than the whole test schedule, so a notify that would be re-sent has been. */
const pastTheSchedule = () => new Promise((resolve) => setTimeout(resolve, 600));

describe("notify to a PHP merchant's notify.php", () => {
  it('is verified by the PHP handler, answered success, and sent exactly once', async () => {
    const php = await startPhpNotify();
    later(php.close);
    const gateway = await sandbox();
    const order = await getJson(
      phpCreateOrderUrl(`${gateway.url}/creat_order/`, {
        page: '4',
        pay_id: 'php-user',
        param: 'vip|30',
        notify_url: php.url,
      }),
    );
    expect(order.status).toBe(0);
    const payment = await pay(gateway, order.order_id);

    expect(await settled(gateway, order.order_id)).toBe('delivered');
    await pastTheSchedule();
    const sent = await attempts(gateway.url, `order_id=${order.order_id}`);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      attempt: 1,
      status: 200,
      body: 'success',
      success: true,
      error: null,
      url: php.url,
    });
    expect(php.verified()).toEqual([
      expect.objectContaining({
        pay_id: 'php-user',
        pay_no: payment.pay_no,
        money: '100.00',
        price: '100.00',
        param: 'vip|30',
        type: '1',
        status: '2',
      }),
    ]);
  });

  it('is refused by notify.php under another key, and re-sent until the schedule ends', async () => {
    const php = await startPhpNotify('the-merchant-changed-keys');
    later(php.close);
    const gateway = await sandbox({ retrySchedule: [0.05, 0.05] });
    const order = await createOrder(gateway, { price: '1', pay_id: 'rekeyed', notify_url: php.url });
    await pay(gateway, order.order_id);
    expect(await settled(gateway, order.order_id)).toBe('gave-up');
    const sent = await attempts(gateway.url, `order_id=${order.order_id}`);
    expect(sent.map((attempt) => [attempt.attempt, attempt.body])).toEqual([
      [1, 'fail'],
      [2, 'fail'],
      [3, 'fail'],
    ]);
    expect(php.verified()).toEqual([]);
  });
});

describe('notify delivery', () => {
  it('re-sends on the schedule after fail and stops after success', async () => {
    const merchant = await startMerchant(['fail', 'fail', 'success']);
    later(merchant.close);
    const gateway = await sandbox({ retrySchedule: [0.05, 0.05, 0.05, 0.05] });
    const order = await createOrder(gateway, { price: '12.34', pay_id: 'retry', notify_url: merchant.url });
    await pay(gateway, order.order_id);
    expect(await settled(gateway, order.order_id)).toBe('delivered');
    await pastTheSchedule();
    const sent = await attempts(gateway.url, `order_id=${order.order_id}`);
    expect(sent.map((attempt) => [attempt.attempt, attempt.body, attempt.success])).toEqual([
      [1, 'fail', false],
      [2, 'fail', false],
      [3, 'success', true],
    ]);
    expect(merchant.received).toHaveLength(3);
    expect(new Set(merchant.received.map((notify) => notify.body)).size).toBe(1);
  });

  it('needs the body to be exactly success', async () => {
    const merchant = await startMerchant(['success\n', 'SUCCESS', ' success', 'success']);
    later(merchant.close);
    const gateway = await sandbox({ retrySchedule: [0.02, 0.02, 0.02, 0.02] });
    const order = await createOrder(gateway, { price: '1', pay_id: 'exact', notify_url: merchant.url });
    await pay(gateway, order.order_id);
    expect(await settled(gateway, order.order_id)).toBe('delivered');
    expect((await attempts(gateway.url, `order_id=${order.order_id}`)).map((attempt) => attempt.success)).toEqual([
      false,
      false,
      false,
      true,
    ]);
  });

  it('is a signed form POST with the document fields, signed exactly as sign_notify.php signs', async () => {
    const merchant = await startMerchant(['success']);
    later(merchant.close);
    const gateway = await sandbox();
    const order = await createOrder(gateway, {
      price: '7.5',
      type: '2',
      pay_id: 'fields',
      param: 'a b|c;d',
      notify_url: merchant.url,
    });
    const payment = await pay(gateway, order.order_id);
    await settled(gateway, order.order_id);

    const [notify] = merchant.received;
    expect(notify.contentType).toBe('application/x-www-form-urlencoded');
    const { sign, ...fields } = notify.fields;
    expect(fields).toEqual({
      pay_id: 'fields',
      money: '7.50',
      price: '7.50',
      type: '2',
      pay_no: payment.pay_no,
      param: 'a b|c;d',
      pay_time: String(payment.pay_time),
      pay_tag: '0',
      tag: '0',
      chart: 'utf-8',
      status: '2',
    });
    expect(verify(notify.fields, MERCHANT_KEY)).toBe(true);
    const phpSigned = new URLSearchParams(phpSignNotify(fields));
    expect(sign).toBe(phpSigned.get('sign'));
  });

  it('goes to the default notify URL when the order has none', async () => {
    const merchant = await startMerchant(['success']);
    later(merchant.close);
    const gateway = await sandbox({ defaultNotifyUrl: merchant.url });
    const order = await createOrder(gateway, { price: '1', pay_id: 'default' });
    await pay(gateway, order.order_id);
    expect(await settled(gateway, order.order_id)).toBe('delivered');
    expect(merchant.received).toHaveLength(1);
  });

  it('sends nothing, and says so, when there is no notify URL at all', async () => {
    const gateway = await sandbox();
    const order = await createOrder(gateway, { price: '1', pay_id: 'nowhere' });
    await pay(gateway, order.order_id);
    expect(await settled(gateway, order.order_id)).toBe('no-url');
    expect(await attempts(gateway.url, `order_id=${order.order_id}`)).toEqual([]);
  });

  it('records an unreachable handler as an error and keeps trying', async () => {
    const merchant = await startMerchant(['success']);
    const deadUrl = merchant.url;
    await merchant.close();
    const gateway = await sandbox({ retrySchedule: [0.02] });
    const order = await createOrder(gateway, { price: '1', pay_id: 'dead', notify_url: deadUrl });
    await pay(gateway, order.order_id);
    expect(await settled(gateway, order.order_id)).toBe('gave-up');
    const sent = await attempts(gateway.url, `order_id=${order.order_id}`);
    expect(sent).toHaveLength(2);
    for (const attempt of sent)
      expect(attempt).toMatchObject({ status: null, success: false, error: expect.stringContaining('ECONNREFUSED') });
  });

  it('stops re-sending when the sandbox closes', async () => {
    const merchant = await startMerchant(['fail']);
    later(merchant.close);
    const gateway = await startSandbox({ retrySchedule: [0.05, 0.05, 0.05, 0.05, 0.05, 0.05] });
    const order = await createOrder(gateway, { price: '1', pay_id: 'closing', notify_url: merchant.url });
    await pay(gateway, order.order_id);
    await waitFor(async () => (merchant.received.length > 0 ? true : undefined), 'the first notify');
    await gateway.close();
    const count = merchant.received.length;
    await pastTheSchedule();
    expect(merchant.received.length).toBe(count);
  });
});
