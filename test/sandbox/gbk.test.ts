/** chart=gbk / gb2312 ("我们兼容GBK"): a GBK merchant site (our PHP peer, iconv) signs and is notified in GBK bytes. */
import { describe, expect, it } from 'vitest';
import { runPeer } from '../support/peers.ts';
import {
  closedAfterEach,
  getJson,
  MERCHANT_ID,
  MERCHANT_KEY,
  startMerchant,
  waitFor,
  type RunningSandbox,
} from '../support/sandbox.ts';

const { later, sandbox } = closedAfterEach();

const gbkPeer = <Answer>(script: string, cases: unknown[]) => runPeer<Answer>('codepay-gbk', script, cases);

function gbkOrderUrl(gateway: RunningSandbox, params: Record<string, string>, key = MERCHANT_KEY): string {
  const [{ url }] = gbkPeer<{ url: string }>('create_order.php', [
    { gateway: `${gateway.url}/creat_order/`, key, params: { id: MERCHANT_ID, page: '4', ...params } },
  ]);
  return url;
}

describe('a GBK merchant', () => {
  for (const chart of ['gbk', 'GB2312']) {
    it(`with chart=${chart} is verified over its GBK bytes and notified in GBK`, async () => {
      const merchant = await startMerchant(['success']);
      later(merchant.close);
      const gateway = await sandbox();
      const url = gbkOrderUrl(gateway, {
        chart,
        pay_id: '用户-42',
        param: '我们兼容GBK 会员',
        notify_url: merchant.url,
        price: '1.00',
      });
      expect(url).toContain('param=%CE%D2%C3%C7%BC%E6%C8%DDGBK');
      const order = await getJson(url);
      expect(order).toMatchObject({ status: 0, chart, pay_id: '用户-42' });

      const paid = await fetch(`${gateway.url}/pay/${order.order_id}`, {
        method: 'POST',
        headers: { accept: 'application/json' },
      });
      expect(paid.status).toBe(200);
      const [notify] = await waitFor(
        async () => (merchant.received.length ? merchant.received : undefined),
        'the notify',
      );
      expect(notify.contentType).toBe('application/x-www-form-urlencoded; charset=GBK');
      expect(notify.body).toContain('param=%CE%D2%C3%C7%BC%E6%C8%DDGBK');
      const [checked] = gbkPeer<{ verified: boolean; fields: Record<string, string> }>('notify.php', [
        { key: MERCHANT_KEY, body: notify.body },
      ]);
      expect(checked).toMatchObject({
        verified: true,
        fields: { pay_id: '用户-42', param: '我们兼容GBK 会员', chart, money: '1.00' },
      });
      // Node's own GBK decoder reads the same bytes.
      const param = /(?:^|&)param=([^&]*)/.exec(notify.body)![1];
      const bytes = Buffer.from(
        param.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      );
      expect(new TextDecoder('gbk').decode(bytes)).toBe('我们兼容GBK 会员');
    });
  }

  it('is refused (sign fail) with another key, and when it claims UTF-8 but sends GBK bytes', async () => {
    const gateway = await sandbox();
    expect(
      await getJson(gbkOrderUrl(gateway, { chart: 'gbk', pay_id: 'u1', param: '我们', price: '1' }, 'another-key')),
    ).toEqual({ status: -2, msg: 'sign fail' });
    expect(await getJson(gbkOrderUrl(gateway, { pay_id: 'u2', param: '我们', price: '1' }))).toEqual({
      status: -2,
      msg: 'sign fail',
    });
  });

  it('ispay signed in GBK bytes answers too', async () => {
    const gateway = await sandbox();
    const order = await getJson(gbkOrderUrl(gateway, { chart: 'gbk', pay_id: '用户', param: '中', price: '2' }));
    expect(order.status).toBe(0);
    const [{ url }] = gbkPeer<{ url: string }>('create_order.php', [
      { gateway: `${gateway.url}/ispay`, key: MERCHANT_KEY, params: { id: MERCHANT_ID, chart: 'gbk', pay_id: '用户' } },
    ]);
    expect(await getJson(url)).toMatchObject({ status: 0, msg: 'no', order_id: order.order_id });
  });
});
