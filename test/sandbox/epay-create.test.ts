/** The epay sandbox's mapi.php and submit.php: the sign and parameters refused as the gateway does, its answer kinds. */
import { describe, expect, it } from 'vitest';
import { readCreateAnswer, signed } from '../../server/epay/protocol.ts';
import {
  closedAfterEach,
  createOrder,
  getJson,
  KEY,
  mapi,
  orderFields,
  pay,
  postForm,
  postJson,
  type RunningEpay,
} from '../support/epay-sandbox.ts';

const { epay } = closedAfterEach();

async function setAnswer(gateway: RunningEpay, rule: Record<string, unknown>): Promise<void> {
  expect((await postJson(`${gateway.url}/_control/answers`, rule)).status).toBe(200);
}

describe('mapi.php', () => {
  it('creates an order: code 1, a trade_no, and by default a qrcode whose text is the pay page', async () => {
    const gateway = await epay();
    const answer = await createOrder(gateway);
    expect(answer).toEqual({
      code: 1,
      msg: expect.any(String),
      trade_no: expect.stringMatching(/^\d{19}$/),
      qrcode: `${gateway.url}/pay/${answer.trade_no}`,
      out_trade_no: answer.out_trade_no,
    });
    expect((await fetch(answer.qrcode as string)).status).toBe(200);
    expect(readCreateAnswer(answer)).toMatchObject({ ok: true, pay: { kind: 'qrcode' } });
  });

  it('refuses a wrong sign, an unknown pid and an unsigned request with code -3, and keeps no order', async () => {
    const gateway = await epay();
    const fields = orderFields();
    expect(await mapi(gateway, fields, 'another-key')).toEqual({ code: -3, msg: '签名校验失败，请返回重试！' });
    // Signed with the right key, then one value changed: the sign no longer covers it.
    const tampered = { ...signed(fields, KEY), money: '0.01' };
    const answer = await postForm(`${gateway.url}/mapi.php`, new URLSearchParams(tampered).toString());
    expect(JSON.parse(answer.text)).toMatchObject({ code: -3 });
    const upper = { ...signed(fields, KEY) };
    upper.sign = upper.sign.toUpperCase();
    expect(
      JSON.parse((await postForm(`${gateway.url}/mapi.php`, new URLSearchParams(upper).toString())).text),
    ).toMatchObject({ code: -3 });
    expect(await mapi(gateway, { ...fields, pid: '9999' })).toMatchObject({ code: -3 });
    const unsigned = await postForm(`${gateway.url}/mapi.php`, new URLSearchParams(fields).toString());
    expect(JSON.parse(unsigned.text)).toMatchObject({ code: -3 });
    expect(readCreateAnswer(await mapi(gateway, fields, 'another-key'))).toMatchObject({
      ok: false,
      code: 'GATEWAY_SIGN_FAIL',
    });
    expect(await getJson(`${gateway.url}/_control/orders`)).toEqual([]);
  });

  it('signs over the raw values and leaves out empty ones and sign_type, as the protocol says', async () => {
    const gateway = await epay();
    // An empty param and a blank return_url are not signed; sign_type is sent but not signed.
    const answer = await mapi(gateway, orderFields({ param: '', return_url: '  ', name: 'a=b&c 会员 "x"' }));
    expect(answer).toMatchObject({ code: 1 });
  });

  it.each([
    ['type', { type: 'paypal' }],
    ['out_trade_no', { out_trade_no: 'has space' }],
    ['notify_url', { notify_url: 'ftp://example.com/n' }],
    ['return_url', { return_url: 'javascript:alert(1)' }],
    ['name', { name: '0' }],
    ['money', { money: '0.00' }],
    ['money', { money: '1.001' }],
    ['money', { money: '-1' }],
    ['clientip', { clientip: 'localhost' }],
    ['device', { device: 'tv' }],
  ])('refuses a bad %s with code -1 and the field named', async (field, extra) => {
    const gateway = await epay();
    const answer = await mapi(gateway, orderFields(extra));
    expect(answer).toEqual({ code: -1, msg: expect.stringContaining(`(${field})`) });
  });

  it('keeps a repeated out_trade_no the same order while its terms are unchanged; refuses it changed or paid', async () => {
    const gateway = await epay();
    const fields = orderFields();
    const first = await mapi(gateway, fields);
    expect(await mapi(gateway, fields)).toEqual(first);
    expect(await mapi(gateway, { ...fields, money: '2.00' })).toMatchObject({ code: -1 });
    expect(await mapi(gateway, { ...fields, param: 'other' })).toMatchObject({ code: -1 });
    // The buyer's address and device are not terms: the same order.
    expect(await mapi(gateway, { ...fields, clientip: '203.0.113.9' })).toMatchObject({ trade_no: first.trade_no });
    await pay(gateway, first.trade_no);
    expect(await mapi(gateway, fields)).toMatchObject({ code: -1 });
    expect(await getJson(`${gateway.url}/_control/orders`)).toHaveLength(1);
  });

  it('stores name and param escaped as the gateway does (htmlspecialchars(addslashes())), the name cut at 127 bytes', async () => {
    const gateway = await epay();
    const order = await createOrder(gateway, { name: `Tom's <b>"VIP"</b> & ${'会'.repeat(50)}`, param: 'a&b' });
    const [stored] = (await getJson(`${gateway.url}/_control/orders?trade_no=${order.trade_no}`)) as unknown as {
      name: string;
      param: string;
    }[];
    expect(stored.param).toBe('a&amp;b');
    expect(stored.name.startsWith('Tom\\&#039;s &lt;b&gt;\\&quot;VIP\\&quot;&lt;/b&gt; &amp; 会')).toBe(true);
    expect(Buffer.byteLength(stored.name)).toBeLessThanOrEqual(127);
    expect(Buffer.byteLength(stored.name)).toBeGreaterThan(124);
  });
});

describe('the answer kind, switched per type and device', () => {
  it('gives payurl or urlscheme where a rule says so, the most specific rule first, qrcode elsewhere', async () => {
    const gateway = await epay();
    await setAnswer(gateway, { type: 'wxpay', kind: 'payurl' });
    await setAnswer(gateway, { type: 'wxpay', device: 'mobile', kind: 'urlscheme' });
    await setAnswer(gateway, { device: 'wechat', kind: 'payurl' });
    expect(await getJson(`${gateway.url}/_control/answers`)).toHaveLength(3);

    const desktop = await createOrder(gateway, { type: 'wxpay', device: 'pc' });
    expect(desktop.payurl).toBe(`${gateway.url}/pay/${desktop.trade_no}`);
    expect(desktop).not.toHaveProperty('qrcode');

    const phone = await createOrder(gateway, { type: 'wxpay', device: 'mobile' });
    const scheme = new URL(phone.urlscheme as string);
    expect(scheme.protocol).toBe('weixin:');
    expect(scheme.searchParams.get('url')).toBe(`${gateway.url}/pay/${phone.trade_no}`);
    expect(readCreateAnswer(phone)).toMatchObject({ ok: true, pay: { kind: 'urlscheme' } });

    const alipayPhone = await createOrder(gateway, { type: 'alipay', device: 'mobile' });
    expect(alipayPhone.qrcode).toBe(`${gateway.url}/pay/${alipayPhone.trade_no}`);
    const inWechat = await createOrder(gateway, { type: 'alipay', device: 'wechat' });
    expect(inWechat).toHaveProperty('payurl');

    // An alipay app link carries the pay page too.
    await setAnswer(gateway, { type: 'alipay', kind: 'urlscheme' });
    const alipayLink = new URL((await createOrder(gateway, { type: 'alipay' })).urlscheme as string);
    expect(alipayLink.protocol).toBe('alipays:');
    expect(alipayLink.searchParams.get('qrcode')).toMatch(/\/pay\/\d+$/);

    // kind null removes a rule; reset removes them all.
    await setAnswer(gateway, { type: 'wxpay', kind: null });
    expect(await createOrder(gateway, { type: 'wxpay', device: 'pc' })).toHaveProperty('qrcode');
    await postJson(`${gateway.url}/_control/reset`, {});
    expect(await getJson(`${gateway.url}/_control/answers`)).toEqual([]);
    expect(await createOrder(gateway, { type: 'wxpay', device: 'mobile' })).toHaveProperty('qrcode');
  });

  it('refuses a rule it cannot follow, with the reason', async () => {
    const gateway = await epay();
    for (const rule of [
      { kind: 'html' },
      { type: 'wxpay' },
      { kind: 'payurl', colour: 'red' },
      { device: 1, kind: 'payurl' },
    ]) {
      const response = await postJson(`${gateway.url}/_control/answers`, rule);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/kind|unknown|device/);
    }
  });
});

describe('submit.php, the browser-redirect flow', () => {
  const submitFields = (extra: Record<string, string> = {}) => {
    const {
      clientip: _ip,
      device: _device,
      ...fields
    } = orderFields({
      return_url: 'http://shop.example/back',
      ...extra,
    });
    return signed(fields, KEY);
  };

  it('by GET or POST, sends the browser to the pay page of the order it made', async () => {
    const gateway = await epay();
    const byGet = await fetch(`${gateway.url}/submit.php?${new URLSearchParams(submitFields())}`, {
      redirect: 'manual',
    });
    expect(byGet.status).toBe(302);
    expect(byGet.headers.get('location')).toMatch(new RegExp(`^${gateway.url}/pay/\\d{19}$`));

    const byPost = await fetch(`${gateway.url}/submit.php`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(submitFields()).toString(),
    });
    // fetch follows the redirect: the buyer lands on the pay page.
    expect(byPost.status).toBe(200);
    expect(byPost.url).toMatch(/\/pay\/\d{19}$/);
    expect(await byPost.text()).toContain('¥1.00');
    expect(await getJson(`${gateway.url}/_control/orders`)).toHaveLength(2);
  });

  it('shows its refusal as a page, and needs a return_url', async () => {
    const gateway = await epay();
    const { return_url: _returnUrl, ...withoutReturn } = submitFields();
    const unsignedReturnless = signed(
      Object.fromEntries(Object.entries(withoutReturn).filter(([name]) => !name.startsWith('sign'))),
      KEY,
    );
    const noReturn = await fetch(`${gateway.url}/submit.php?${new URLSearchParams(unsignedReturnless)}`);
    expect(noReturn.status).toBe(200);
    expect(noReturn.headers.get('content-type')).toMatch(/text\/html/);
    expect(await noReturn.text()).toContain('(return_url)');
    const badSign = await fetch(
      `${gateway.url}/submit.php?${new URLSearchParams({ ...submitFields(), sign: '0'.repeat(32) })}`,
    );
    expect(await badSign.text()).toContain('签名校验失败');
    expect(await getJson(`${gateway.url}/_control/orders`)).toEqual([]);
  });
});
