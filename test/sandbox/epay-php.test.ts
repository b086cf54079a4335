/**
 * Our PHP merchant-side epay peer (test/peers/epay/, written from PROTOCOLS.md) against the epay
 * sandbox: it signs and POSTs mapi.php, asks api.php about its order, and verifies the notifies.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runPeer, runPeerAsync } from '../support/peers.ts';
import {
  closedAfterEach,
  createOrder,
  KEY,
  orderFields,
  pay,
  PID,
  settled,
  startMerchant,
  type Loose,
} from '../support/epay-sandbox.ts';

const { epay, later } = closedAfterEach();

type Created = { http: string; answer: Loose | null };

describe('a PHP merchant against the epay sandbox', () => {
  it('creates orders at mapi.php, signed as PHP signs them: Chinese, quotes, & and = in the values', async () => {
    const gateway = await epay();
    const names = ['VIP会员', `Tom's "VIP" & <b>`, 'a=b&c=d', '😀 会员充值 第2期', ' padded '];
    const cases = names.map((name, i) => ({
      base: gateway.url,
      key: KEY,
      order: orderFields({ name, param: i % 2 ? 'x=1&y=2' : '', money: ['1.00', '0.1', '12', '99999.99', '3.5'][i] }),
    }));
    const answers = await runPeerAsync<Created>('epay', 'mapi_create.php', cases);
    answers.forEach(({ http, answer }) => {
      expect(http).toMatch(/ 200 /);
      expect(answer).toMatchObject({
        code: 1,
        trade_no: expect.stringMatching(/^\d{19}$/),
        qrcode: expect.any(String),
      });
    });
    const [refused] = await runPeerAsync<Created>('epay', 'mapi_create.php', [{ ...cases[0], key: 'a-wrong-key' }]);
    expect(refused.answer).toMatchObject({ code: -3 });
  });

  it('finds its order unpaid, then paid, with api.php?act=order', async () => {
    const gateway = await epay();
    const order = await createOrder(gateway);
    const ask = async () =>
      (
        await runPeerAsync<{ paid: boolean; answer: Loose }>('epay', 'query_order.php', [
          { base: gateway.url, pid: PID, key: KEY, out_trade_no: order.out_trade_no },
        ])
      )[0];
    expect(await ask()).toMatchObject({ paid: false, answer: { code: 1, status: 0 } });
    await pay(gateway, order.trade_no);
    expect(await ask()).toMatchObject({ paid: true, answer: { trade_no: order.trade_no, money: '1.00' } });
  });

  it('verifies every notify the sandbox sends (verify_notify.php), and none that was tampered with', async () => {
    const merchant = await startMerchant(['success']);
    later(merchant.close);
    const gateway = await epay();
    const orders = fc.sample(
      fc.record({
        cents: fc.integer({ min: 1, max: 9_999_999 }),
        name: fc.constantFrom('VIP会员', `Tom's "VIP" & <b>`, '😀👍🏽', 'a=b&c=d'),
        param: fc.constantFrom('', 'uid=1', 'vip|30'),
      }),
      12,
    );
    for (const { cents, name, param } of orders) {
      const order = await createOrder(gateway, {
        notify_url: merchant.url,
        money: (cents / 100).toFixed(2),
        name,
        param,
      });
      await pay(gateway, order.trade_no);
      await settled(gateway, order.trade_no);
    }
    const queries = merchant.received.map(({ url }) => url.slice(url.indexOf('?') + 1));
    const tampered = queries.map((query) => query.replace(/money=[^&]+/, 'money=100000'));
    const checked = runPeer<{ verified: boolean; cents: number | null }>(
      'epay',
      'verify_notify.php',
      [...queries, ...tampered].map((query) => ({ key: KEY, query })),
    );
    expect(checked.slice(0, queries.length)).toEqual(
      orders.map(({ cents }) => ({ verified: true, signed: expect.any(String), cents })),
    );
    expect(checked.slice(queries.length).every(({ verified }) => !verified)).toBe(true);
  });
});
