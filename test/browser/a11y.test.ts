/** Keyboard use, what screen readers hear, and the phone's open button. */
import { afterEach, expect, test } from 'vitest';
import { commands, userEvent } from 'vitest/browser';
import { cleanup, mount, part, shadow, waitFor } from './helpers.ts';

afterEach(cleanup);

const live = (el: HTMLElement) => el.shadowRoot!.querySelector('[role=status]')!.textContent;

test('keyboard: Tab to the channels, arrows to choose, Tab to the button, Enter to pay', async () => {
  const before = document.createElement('button');
  before.dataset.test = '';
  before.textContent = 'before';
  document.body.append(before);
  const { el, order } = mount({ price: '8.00', locale: 'en' });
  await expect.poll(() => shadow(el).querySelectorAll('[part=channel]').length).toBe(3);
  before.focus();
  await userEvent.keyboard('{Tab}');
  expect(shadow(el).activeElement).toBe(shadow(el).querySelector('[part=channel] input:checked'));
  await userEvent.keyboard('{ArrowRight}');
  await el.updateComplete;
  expect(shadow(el).querySelectorAll<HTMLInputElement>('[part=channel] input')[1]!.checked).toBe(true);
  await userEvent.keyboard('{Tab}');
  expect(shadow(el).activeElement).toBe(part(el, 'pay-button'));
  await userEvent.keyboard('{Enter}');
  await waitFor(el, 'pending');
  expect(order().type).toBe(2);
});

test('the status is announced politely; the countdown only at a few marks, not every second', async () => {
  const realNow = Date.now;
  const RealEventSource = window.EventSource;
  // Each view re-anchors the countdown to the signer's clock: move the client's clock only after
  // the stream's first view has arrived.
  let streamed!: () => void;
  const firstView = new Promise<void>((resolve) => (streamed = resolve));
  window.EventSource = class extends RealEventSource {
    constructor(url: string | URL) {
      super(url);
      this.addEventListener('pending', () => setTimeout(streamed)); // after the widget's own listener
    }
  };
  try {
    const { el } = mount({ price: '8.10', locale: 'en' });
    await el.start();
    await waitFor(el, 'pending');
    expect(shadow(el).querySelector('[role=status]')!.getAttribute('aria-live')).toBeNull(); // role=status is polite
    expect(live(el)).toMatch(
      /^Waiting for payment\. Scan with Alipay to pay ¥8\.\d\d(\. Please pay exactly ¥8\.\d\d)?$/,
    );
    const timer = part(el, 'countdown')!;
    expect(timer.getAttribute('role')).toBe('timer'); // a timer is not read out as it changes

    const left = () => {
      const [minutes, seconds] = timer
        .textContent!.match(/(\d+):(\d+)/)!
        .slice(1)
        .map(Number);
      return minutes! * 60 + seconds!;
    };
    /** Moves the client's clock so that `seconds` are left. */
    const jumpTo = (seconds: number) => {
      const shift = (left() - seconds) * 1000;
      const now = Date.now;
      Date.now = () => now() + shift;
    };
    await firstView;
    jumpTo(62);
    await expect.poll(() => timer.textContent, { timeout: 3000 }).toMatch(/^1:01 left$/);
    expect(live(el)).toMatch(/^Waiting for payment/); // 1:01 is no mark
    await expect.poll(() => live(el), { timeout: 3000 }).toBe('1:00 left');
    jumpTo(45);
    await expect.poll(() => timer.textContent, { timeout: 3000 }).toMatch(/^0:4[3-5] left$/);
    expect(live(el)).toBe('1:00 left'); // unchanged between marks
    jumpTo(31);
    await expect.poll(() => live(el), { timeout: 3000 }).toBe('0:30 left');
  } finally {
    Date.now = realNow;
    window.EventSource = RealEventSource;
  }
});

test('on a phone, a payment link gets a button that opens it', async () => {
  await commands.touchScreen(true);
  try {
    const { el, order } = mount({ price: '8.20', locale: 'zh-CN' });
    await el.start();
    await waitFor(el, 'pending');
    const open = part(el, 'open-button') as HTMLAnchorElement;
    expect(open.href).toBe(order().qr!.payload);
    expect(open.target).toBe('_blank'); // a web page: the checkout's page stays, following the order
    expect(open.textContent).toBe('打开支付宝');
  } finally {
    await commands.touchScreen(false);
  }
});

test('no open button on a desktop', async () => {
  const { el } = mount({ price: '8.30' });
  await el.start();
  await waitFor(el, 'pending');
  expect(part(el, 'open-button')).toBeNull();
});
