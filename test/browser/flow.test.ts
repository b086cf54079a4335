/** The whole flow in Chromium against a real signer and sandbox: idle, pending, paid, expired, renewed. */
import { afterEach, describe, expect, inject, test } from 'vitest';
import { cleanup, click, fault, mount, part, pay, shadow, text, waitFor } from './helpers.ts';

afterEach(cleanup);

describe('to paid', () => {
  test('amount and pay button, channels from /api/config, QR, countdown, then paid from the signer', async () => {
    const { el, names, order } = mount({ price: '9.90', locale: 'en' });
    expect(el.status).toBe('idle');
    await expect.poll(() => shadow(el).querySelectorAll('[part=channel] input').length).toBe(3);
    expect(part(el, 'amount')!.textContent).toContain('¥9.90');
    expect(part(el, 'pay-button')!.textContent).toBe('Pay ¥9.90');
    expect(text(el)).toMatch(/Alipay\s*QQ Wallet\s*WeChat Pay/);

    // Choose WeChat Pay, then pay.
    shadow(el).querySelectorAll<HTMLInputElement>('[part=channel] input')[2]!.click();
    await el.updateComplete;
    await click(el, 'pay-button');
    await waitFor(el, 'pending');
    expect(names()).toEqual(['codepay-order']);
    expect(order()).toMatchObject({ status: 'pending', price: '9.90', type: 3 });

    const qr = part(el, 'qr')!;
    expect(qr.tagName).toBe('svg');
    expect(qr.getAttribute('role')).toBe('img');
    expect(qr.getAttribute('aria-label')).toBe(`Scan with WeChat Pay to pay ¥${order().money}`);
    expect(qr.querySelector('path')!.getAttribute('d')).toMatch(/^M\d/);
    expect(part(el, 'countdown')!.getAttribute('role')).toBe('timer');
    expect(part(el, 'countdown')!.textContent).toMatch(/^(6:00|5:5\d) left$/);

    await pay(order());
    await waitFor(el, 'paid');
    expect(names()).toEqual(['codepay-order', 'codepay-paid']);
    expect(text(el)).toContain('Payment received');
    expect(shadow(el).querySelector('[role=status]')!.textContent).toBe('Payment received');
  });

  test('codepay-paid fires exactly once, with the public order, bubbling and composed', async () => {
    const host = document.createElement('div');
    host.dataset.test = '';
    document.body.append(host);
    const bubbled: Event[] = [];
    document.addEventListener('codepay-paid', (event) => bubbled.push(event));
    const { el, events, order } = mount({ price: '1.00' }, host);
    await el.start();
    await waitFor(el, 'pending');
    await pay(order());
    await pay(order()); // the sandbox answers a second payment as a duplicate
    await waitFor(el, 'paid');
    el.remove(); // and a move through the DOM changes nothing
    host.append(el);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const paid = events.filter((event) => event.type === 'codepay-paid');
    expect(paid).toHaveLength(1);
    expect(paid[0]!.bubbles && paid[0]!.composed).toBe(true);
    expect(paid[0]!.detail).toMatchObject({ id: order().id, status: 'paid', price: '1.00', late: false });
    expect(paid[0]!.detail).not.toHaveProperty('key');
    expect(bubbled).toHaveLength(1);
  });

  test('a product: its name and price from the signer; the order carries it and `param`', async () => {
    const { el, order } = mount({ product: 'tea', param: 'table 7', locale: 'en' });
    await expect.poll(() => part(el, 'amount')!.textContent).toContain('Green tea');
    expect(part(el, 'amount')!.textContent).toContain('¥9.90');
    await click(el, 'pay-button');
    await waitFor(el, 'pending');
    expect(order()).toMatchObject({ product: 'tea', price: '9.90', param: 'table 7' });
  });

  test('`type` fixes the channel: no choice shown, the order uses it', async () => {
    const { el, order } = mount({ price: '2.00', type: '2', locale: 'zh-CN' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(part(el, 'channels')).toBeNull();
    await el.start();
    await waitFor(el, 'pending');
    expect(order().type).toBe(2);
    expect(part(el, 'qr')!.getAttribute('aria-label')).toBe(`请用QQ钱包扫码支付 ¥${order().money}`);
  });

  test('when money differs from price, the buyer is told the exact amount, with a copy button', async () => {
    // The sandbox gives concurrent orders of the same amount distinct money, as CodePay does.
    const first = mount({ price: '3.00', locale: 'en' });
    const second = mount({ price: '3.00', locale: 'en' });
    await first.el.start();
    await second.el.start();
    await waitFor(first.el, 'pending');
    await waitFor(second.el, 'pending');
    const differs = [first, second].find((m) => m.order().money !== '3.00');
    expect(differs, 'one of two same-amount orders gets other money').toBeDefined();
    const { el, order } = differs!;
    expect(part(el, 'notice')!.textContent).toContain(`Please pay exactly ¥${order().money}`);
    expect(part(el, 'qr')!.getAttribute('aria-label')).toBe(`Scan with Alipay to pay ¥${order().money}`);
    await click(el, 'copy-button');
    await expect.poll(() => part(el, 'copy-button')!.textContent).toBe('Copied');
    expect(await navigator.clipboard.readText()).toBe(order().money);
  });

  test('no payload to draw: the image the signer serves, with the same text alternative', async () => {
    await fault({ unreadableQr: true });
    try {
      const { el, order } = mount({ price: '4.50', locale: 'en' });
      await el.start();
      await waitFor(el, 'pending');
      const image = part(el, 'qr') as HTMLImageElement;
      expect(image.tagName).toBe('IMG');
      expect(image.src).toBe(`${inject('signerUrl')}${order().qr!.image}`);
      expect(image.alt).toBe(`Scan with Alipay to pay ¥${order().money}`);
      await expect.poll(() => image.complete && image.naturalWidth).toBeGreaterThan(0);
    } finally {
      await fault({});
    }
  });

  test('an order the merchant created: `order="ID"` shows it and follows it to paid', async () => {
    const creator = mount({ price: '4.00' });
    await creator.el.start();
    await waitFor(creator.el, 'pending');
    const id = creator.order().id;
    creator.el.remove();

    const { el, names, order } = mount({ order: id, locale: 'en' });
    await waitFor(el, 'pending');
    expect(order().id).toBe(id);
    await pay(order());
    await waitFor(el, 'paid');
    expect(names()).toEqual(['codepay-order', 'codepay-paid']);
  });

  test('removed while the order is being created: no stream is left open', async () => {
    const opened: string[] = [];
    const RealEventSource = window.EventSource;
    window.EventSource = class extends RealEventSource {
      constructor(url: string | URL) {
        super(url);
        opened.push(String(url));
      }
    };
    try {
      const { el, events } = mount({ price: '4.60' });
      const started = el.start();
      el.remove();
      await started;
      await expect.poll(() => events.length).toBe(1); // codepay-order
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(opened).toEqual([]);
      document.body.append(el); // back: it follows the order again
      await expect.poll(() => opened.length).toBe(1);
    } finally {
      window.EventSource = RealEventSource;
    }
  });

  test('makes no request before it is connected', async () => {
    const signer = inject('signerUrl');
    const requests = () =>
      performance.getEntriesByType('resource').filter((entry) => entry.name.startsWith(signer)).length;
    const before = requests();
    const el = document.createElement('codepay-checkout');
    el.setAttribute('endpoint', signer);
    el.setAttribute('price', '9.90');
    el.setAttribute('order', 'x');
    el.price = '1.00';
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requests()).toBe(before);
    expect(el.status).toBe('idle');
  });

  test('the element registers once, even when a second copy of the script runs', async () => {
    const first = customElements.get('codepay-checkout');
    // A second module instance (another URL), as when a page includes the script twice.
    await import(/* @vite-ignore */ `${'../../widget/index.ts'}?again`);
    expect(customElements.get('codepay-checkout')).toBe(first);
  });
});

describe('expired', () => {
  test('counts down, expires, fires codepay-expired once, renews with a new order', async () => {
    const { el, names, events, order } = mount({ price: '5.00', endpoint: inject('shortSignerUrl'), locale: 'en' });
    await el.start();
    await waitFor(el, 'pending');
    const first = order().id;
    expect(part(el, 'countdown')!.textContent).toMatch(/^0:0[23] left$/);
    await waitFor(el, 'expired');
    expect(text(el)).toContain('This QR code has expired');
    expect(events.find((event) => event.type === 'codepay-expired')!.cancelable).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(names()).toEqual(['codepay-order', 'codepay-expired']);

    await click(el, 'renew-button');
    await waitFor(el, 'pending');
    expect(order().id).not.toBe(first);
    expect(names()).toEqual(['codepay-order', 'codepay-expired', 'codepay-order']);
  });

  test('preventDefault() on codepay-expired keeps the renew button away', async () => {
    const { el } = mount({ price: '5.00', endpoint: inject('shortSignerUrl') });
    el.addEventListener('codepay-expired', (event) => event.preventDefault());
    await el.start();
    await waitFor(el, 'expired');
    expect(part(el, 'renew-button')).toBeNull();
  });

  test('a payment that arrives after expiry still shows as paid (the signer decides)', async () => {
    const { el, names, order } = mount({ price: '5.00', endpoint: inject('shortSignerUrl') });
    await el.start();
    await waitFor(el, 'expired');
    await pay(order());
    await waitFor(el, 'paid');
    expect(names()).toEqual(['codepay-order', 'codepay-expired', 'codepay-paid']);
  });
});

describe('the countdown uses the signer clock', () => {
  for (const skew of [3_600_000, -3_600_000]) {
    test(`client clock ${skew > 0 ? 'an hour ahead' : 'an hour behind'}`, async () => {
      const realNow = Date.now;
      Date.now = () => realNow() + skew;
      try {
        const { el } = mount({ price: '6.00', locale: 'en' });
        await el.start();
        await waitFor(el, 'pending');
        await new Promise((resolve) => setTimeout(resolve, 1100));
        expect(part(el, 'countdown')!.textContent).toMatch(/^(6:00|5:5\d) left$/);
        expect(el.status).toBe('pending');
      } finally {
        Date.now = realNow;
      }
    });
  }
});
