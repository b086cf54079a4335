/**
 * The epay sandbox's notify: a GET to notify_url with the signed fields, money a PHP float, re-sent
 * at once then +1, +2, +16, +36 min and +1 h until the answer *contains* success.
 */
import { describe, expect, it, vi } from 'vitest';
import { canonicalString, readNotify, sign } from '../../server/epay/protocol.ts';
import {
  attempts,
  closedAfterEach,
  createOrder,
  KEY,
  pay,
  PID,
  settled,
  startMerchant,
  startPhpEpayNotify,
  waitFor,
} from '../support/epay-sandbox.ts';

const { epay, later } = closedAfterEach();

/** Longer than the whole test schedule, so a notify that would be re-sent has been. */
const pastTheSchedule = () => new Promise((resolve) => setTimeout(resolve, 600));

describe('the notify', () => {
  it.each([
    ['1.00', '1'],
    ['0.10', '0.1'],
    ['12.30', '12.3'],
    ['2.05', '2.05'],
    ['99999.99', '99999.99'],
  ])('is a GET whose money %s is sent as PHP prints the float: %s, signed over that', async (money, sent) => {
    const merchant = await startMerchant(['success']);
    later(merchant.close);
    const gateway = await epay();
    const order = await createOrder(gateway, { money, notify_url: merchant.url, param: 'uid=42' });
    await pay(gateway, order.trade_no);
    expect(await settled(gateway, order.trade_no)).toBe('delivered');

    expect(merchant.received).toHaveLength(1);
    const [{ method, query }] = merchant.received;
    expect(method).toBe('GET');
    expect(Object.keys(query).sort()).toEqual(
      ['money', 'name', 'out_trade_no', 'param', 'pid', 'sign', 'sign_type', 'trade_no', 'trade_status', 'type'].sort(),
    );
    expect(query).toMatchObject({
      pid: PID,
      trade_no: order.trade_no,
      out_trade_no: order.out_trade_no,
      type: 'alipay',
      name: 'VIP会员',
      money: sent,
      trade_status: 'TRADE_SUCCESS',
      param: 'uid=42',
      sign_type: 'MD5',
    });
    expect(query.sign).toBe(sign(query, KEY));
    expect(canonicalString(query)).toContain(`money=${sent}&`);
    expect(readNotify(query, KEY, PID)).toMatchObject({ ok: true, payment: { money: Number(money.replace('.', '')) } });
  });

  it('leaves out an empty param, and appends to a notify_url that has a query with &', async () => {
    const merchant = await startMerchant(['success']);
    later(merchant.close);
    const gateway = await epay();
    const order = await createOrder(gateway, { notify_url: `${merchant.url}?shop=7` });
    await pay(gateway, order.trade_no);
    await settled(gateway, order.trade_no);
    const [{ url, query }] = merchant.received;
    expect(url).toMatch(/^\/notify\?shop=7&pid=/);
    expect(query).not.toHaveProperty('param');
    const { shop: _shop, ...signedFields } = query;
    expect(readNotify(signedFields, KEY, PID)).toMatchObject({ ok: true });
  });

  it('is re-sent until the answer contains success, then never again; every attempt recorded', async () => {
    const merchant = await startMerchant(['fail', '<html>502 Bad Gateway</html>', 'ok, SUCCESS, thank you']);
    later(merchant.close);
    const gateway = await epay();
    const order = await createOrder(gateway, { notify_url: merchant.url });
    await pay(gateway, order.trade_no);
    expect(await settled(gateway, order.trade_no)).toBe('delivered');
    await pastTheSchedule();
    const sent = await attempts(gateway, `out_trade_no=${order.out_trade_no}`);
    expect(sent.map(({ attempt, body, success }) => ({ attempt, body, success }))).toEqual([
      { attempt: 1, body: 'fail', success: false },
      { attempt: 2, body: '<html>502 Bad Gateway</html>', success: false },
      { attempt: 3, body: 'ok, SUCCESS, thank you', success: true },
    ]);
    expect(sent[0]).toMatchObject({ tradeNo: order.trade_no, url: merchant.url, status: 200, duplicate: false });
    expect(merchant.received).toHaveLength(3);
    // Each attempt is the same signed notify.
    expect(new Set(merchant.received.map((each) => each.url)).size).toBe(1);
  });

  it.each(['success', 'SUCCESS', 'Success', '{"result":"success"}'])(
    'takes an answer of %j as delivered',
    async (answer) => {
      const merchant = await startMerchant([answer]);
      later(merchant.close);
      const gateway = await epay();
      const order = await createOrder(gateway, { notify_url: merchant.url });
      await pay(gateway, order.trade_no);
      expect(await settled(gateway, order.trade_no)).toBe('delivered');
      expect(merchant.received).toHaveLength(1);
    },
  );

  it('gives up after the schedule when no answer says success (nor an unreachable merchant)', async () => {
    const merchant = await startMerchant(['fail']);
    later(merchant.close);
    const gateway = await epay({ retrySchedule: [0.05, 0.05] });
    const order = await createOrder(gateway, { notify_url: merchant.url });
    await pay(gateway, order.trade_no);
    expect(await settled(gateway, order.trade_no)).toBe('gave-up');
    expect(merchant.received).toHaveLength(3);

    const gone = await startMerchant(['success']);
    await gone.close();
    const nowhere = await createOrder(gateway, { notify_url: gone.url });
    await pay(gateway, nowhere.trade_no);
    expect(await settled(gateway, nowhere.trade_no)).toBe('gave-up');
    const tried = await attempts(gateway, `trade_no=${nowhere.trade_no}`);
    expect(tried).toHaveLength(3);
    expect(tried[0]).toMatchObject({ status: null, success: false, error: expect.stringContaining('ECONNREFUSED') });
  });

  it('by default waits 1, 2, 16, 36 and 60 minutes between attempts, then stops', async () => {
    const merchant = await startMerchant(['fail']);
    later(merchant.close);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    later(async () => void vi.useRealTimers());
    // The default schedule (no retrySchedule given).
    const gateway = await epay({ retrySchedule: undefined });
    const order = await createOrder(gateway, { notify_url: merchant.url });
    await pay(gateway, order.trade_no);
    const count = async (n: number) =>
      waitFor(async () => (merchant.received.length === n ? true : undefined), `${n} attempts`, 3000);
    await count(1);
    for (const minutes of [1, 2, 16, 36, 60]) {
      await vi.advanceTimersByTimeAsync(minutes * 60_000 - 1_000);
      expect(merchant.received).toHaveLength(1 + [1, 2, 16, 36, 60].indexOf(minutes));
      await vi.advanceTimersByTimeAsync(1_000);
      await count(2 + [1, 2, 16, 36, 60].indexOf(minutes));
    }
    expect(await settled(gateway, order.trade_no)).toBe('gave-up');
    await vi.advanceTimersByTimeAsync(24 * 3600_000);
    expect(merchant.received).toHaveLength(6);
  });
});

describe("a PHP merchant's notify.php (test/peers/epay/)", () => {
  it('verifies the GET notify, reads its float money in cents, answers success, and gets it once', async () => {
    const php = await startPhpEpayNotify();
    later(php.close);
    const gateway = await epay();
    const order = await createOrder(gateway, { notify_url: php.url, money: '19.90', name: '会员 "Gold" & more' });
    await pay(gateway, order.trade_no);
    expect(await settled(gateway, order.trade_no)).toBe('delivered');
    await pastTheSchedule();
    const [verified, ...more] = php.verified();
    expect(more).toEqual([]);
    expect(verified).toMatchObject({ trade_no: order.trade_no, money: '19.9', cents: 1990 });
    expect(await attempts(gateway, `trade_no=${order.trade_no}`)).toMatchObject([{ body: 'success', success: true }]);
  });

  it('refuses a notify signed with another key, which is then re-sent until the schedule ends', async () => {
    const php = await startPhpEpayNotify('not-the-sandbox-key');
    later(php.close);
    const gateway = await epay();
    const order = await createOrder(gateway, { notify_url: php.url });
    await pay(gateway, order.trade_no);
    expect(await settled(gateway, order.trade_no)).toBe('gave-up');
    expect(php.verified()).toEqual([]);
    expect((await attempts(gateway, `trade_no=${order.trade_no}`)).map((each) => each.body)).toEqual([
      'fail',
      'fail',
      'fail',
      'fail',
    ]);
  });
});
