/**
 * Everything after the pay button, loaded lazily with the QR encoder (`qrcode`) so the first paint
 * stays small: one order's life from `loading` to `paid`, `expired` or `error`, with its QR,
 * countdown and status stream, and the errors. One instance per attempt; the element drops it on
 * reset, and a dropped flow changes nothing.
 */
import { adoptStyles, type ReactiveController, type ReactiveElement } from '@lit/reactive-element';
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { isFinalStatus, type Channel, type CreateOrderRequest, type OrderView } from '../shared/api.ts';
import { configOf, getConfig, request } from './api-client.ts';
import { createOrder, getOrder } from './order-api.ts';
import { Countdown, formatClock } from './countdown.ts';
import { errorDetail, explain, type CheckoutErrorCode, type CheckoutErrorDetail } from './errors.ts';
import { flowStyles } from './flow-styles.ts';
import { emit, endpointOf, type CheckoutHost } from './host.ts';
import { channelName, formatMoney, pickLocale, strings, type Locale } from './i18n.ts';
import { WEB, payOptions } from './pay-options.ts';
import { QUIET_ZONE, encodeQr, type QrShape } from './qr.ts';
import { watchOrder, type StatusWatch } from './status-stream.ts';

/** `{a}` is an amount, `{c}` a channel name, `{t}` a time. */
const text = strings({
  loading: ['Loading', '加载中', '載入中'],
  retry: ['Try again', '重试', '重試'],
  network: ["Can't reach the payment server", '无法连接支付服务', '無法連線付款服務'],
  scan: ['Scan with {c} to pay {a}', '请用{c}扫码支付 {a}', '請用{c}掃碼支付 {a}'],
  exact: ['Please pay exactly {a}', '请准确支付 {a}', '請準確支付 {a}'],
  enter: ['Enter exactly {a} when you pay', '付款时请准确输入 {a}', '付款時請準確輸入 {a}'],
  onPhone: [
    'Open this page on your phone to pay with {c}',
    '请在手机上打开本页面，用{c}支付',
    '請在手機上開啟本頁面，用{c}付款',
  ],
  copy: ['Copy', '复制', '複製'],
  copied: ['Copied', '已复制', '已複製'],
  open: ['Open {c}', '打开{c}', '打開{c}'],
  left: ['{t} left', '剩余 {t}', '剩餘 {t}'],
  wait: ['Waiting for payment', '等待支付', '等待付款'],
  paid: ['Payment received', '支付成功', '付款成功'],
  expired: ['This QR code has expired', '二维码已过期', 'QR 碼已過期'],
  renew: ['Get a new QR code', '重新获取二维码', '重新取得 QR 碼'],
  failed: ['The order could not be created', '订单创建失败', '訂單建立失敗'],
  review: [
    'The amount paid differs; the merchant will check it',
    '支付金额不符，商家将核实',
    '付款金額不符，商家將核實',
  ],
  sandbox: ['Sandbox: test mode, no real money', '沙箱：模拟支付，不会扣款', '沙箱：模擬付款，不會扣款'],
  sandboxPay: ['Pay in the sandbox', '在沙箱中支付', '在沙箱中付款'],
});

const t = (locale: Locale, key: Parameters<typeof text>[1], vars: Record<string, string> = {}): string =>
  text(locale, key).replace(/\{(\w)\}/g, (_, name: string) => vars[name] ?? '');

/** A button with the shared `button` part and its own `{name}-button` part. */
const button = (name: string, label: string, onClick: () => void, disabled = false): TemplateResult =>
  html`<button part="button ${name}-button" ?disabled=${disabled} @click=${onClick}>${label}</button>`;

const PHONE = '(pointer: coarse)';
const styled = new WeakSet<ShadowRoot>();

export class OrderFlow implements ReactiveController {
  /** The polite live region's text: status changes and a few countdown marks. */
  note = '';
  readonly #host: CheckoutHost;
  #view?: OrderView;
  #qr?: QrShape;
  #countdown?: Countdown;
  #secondsLeft = 0;
  #watch?: StatusWatch;
  #ticker?: ReturnType<typeof setInterval>;
  #renewable = false;
  #copied = false;
  /** The sandbox payment asked for and not failed: its button stays disabled until the stream says paid. */
  #sandboxPaying = false;
  #sandboxFailure = '';
  #dropped = false;
  #error?: CheckoutErrorDetail;
  #retry?: () => void;

  constructor(host: CheckoutHost) {
    this.#host = host;
    host.addController(this);
    const root = host.renderRoot;
    if (root instanceof ShadowRoot && !styled.has(root)) {
      styled.add(root);
      adoptStyles(root, [...(host.constructor as typeof ReactiveElement).elementStyles, flowStyles]);
    }
  }

  /** The order, once the signer has answered. */
  get view(): OrderView | undefined {
    return this.#view;
  }

  /**
   * Shows the host's order: the merchant's (`order`), or a new one from its product or price,
   * `channel` and `param`. Rejects when the signer's configuration (the default channel) can't be
   * had; `channel` is asked once it is in.
   */
  async start(channel: () => Channel | undefined): Promise<void> {
    const host = this.#host;
    const endpoint = endpointOf(host);
    const retry = () => void host.start();
    if (host.order) {
      // The idle state did not ask: the configuration says whether this is the sandbox.
      getConfig(endpoint).then(
        () => host.requestUpdate(),
        () => undefined, // the order's own request shows what fails
      );
      return this.#open(getOrder(endpoint, host.order), retry);
    }
    await getConfig(endpoint); // usually there already: the idle state asked for it
    if (this.#dropped) return;
    const request: CreateOrderRequest = {
      ...(host.product ? { product: host.product } : { price: host.price }),
      type: channel(),
      param: host.param || undefined,
    };
    this.#open(createOrder(endpoint, request, this.#lang), retry);
  }

  /** Shows a failed call's error; `retry` backs the retry button where retrying can help. */
  fail(failure: unknown, retry?: () => void): void {
    this.#stop();
    void explain(failure).then(({ code, message }) => this.#dropped || this.#showError(code, message, retry));
  }

  /** Stops every timer and stream; later answers are ignored. */
  drop(): void {
    this.#dropped = true;
    this.#stop();
    this.#host.removeController(this);
  }

  hostConnected(): void {
    if (this.#view && !isFinalStatus(this.#view.status)) this.#follow(this.#view);
    if (this.#host.status === 'pending') this.#tick();
  }

  hostDisconnected(): void {
    this.#stop();
  }

  #open(request: Promise<OrderView>, retry: () => void): void {
    this.note = t(this.#lang, 'loading');
    this.#host.requestUpdate();
    request.then(
      (view) => {
        if (this.#dropped) return;
        this.#view = view;
        emit(this.#host, 'codepay-order', view);
        this.#apply(view);
        if (!isFinalStatus(view.status)) this.#follow(view);
      },
      (failure) => this.#dropped || this.fail(failure, retry),
    );
  }

  #follow(view: OrderView): void {
    this.#watch?.close();
    if (!this.#host.isConnected) return; // hostConnected() follows it when the element is back
    this.#watch = watchOrder(endpointOf(this.#host), view.id, (next) => this.#apply(next));
  }

  /** Every view of the order goes through here, from whichever source, any number of times. */
  #apply(view: OrderView): void {
    const host = this.#host;
    if (this.#dropped || view.id !== this.#view?.id || host.status === 'paid') return;
    this.#view = view;
    this.#countdown = new Countdown(view); // each view carries the signer's time: re-anchor
    switch (view.status) {
      case 'creating':
        host.status = 'loading';
        break;
      case 'pending':
        // Once expired here, it stays so; a late payment still turns it to paid.
        if (host.status === 'pending' || host.status === 'expired') break;
        host.status = 'pending';
        this.note = [t(this.#lang, 'wait'), this.#scanLabel(view), this.#notice(view)].filter(Boolean).join('. ');
        this.#tick();
        this.#draw(view); // after the ticker starts, so that a failure here also stops it
        break;
      case 'paid':
        this.#stop();
        host.status = 'paid';
        this.note = t(this.#lang, 'paid');
        emit(host, 'codepay-paid', view); // once: the `paid` guard above stops any repeat
        break;
      case 'expired':
        this.#expire();
        break;
      case 'failed':
        this.#showError('ORDER_FAILED', t(this.#lang, 'failed'));
        break;
      case 'review':
        this.#showError('PAYMENT_REVIEW', t(this.#lang, 'review'));
    }
    host.requestUpdate();
  }

  /** Shows an error and fires `codepay-error`. */
  #showError(code: CheckoutErrorCode, message: string, retry?: () => void): void {
    const host = this.#host;
    this.#stop();
    this.#error = errorDetail(code, code === 'NETWORK' ? t(this.#lang, 'network') : message || code);
    this.#retry = retry;
    host.status = 'error';
    this.note = this.#error.message;
    emit(host, 'codepay-error', this.#error);
    host.requestUpdate();
  }

  #draw(view: OrderView): void {
    const payload = payOptions(view.qr, false).scan;
    try {
      if (payload) this.#qr = encodeQr(payload);
    } catch (error) {
      this.#showError('INTERNAL', String(error)); // a payload too long for a QR
    }
  }

  /** Counts down each second while pending; speaks only at a few marks. */
  #tick(): void {
    clearInterval(this.#ticker);
    if (!this.#host.isConnected) return; // hostConnected() starts it again
    let before = this.#countdown!.secondsLeft(); // no mark is "crossed" on the first step
    const step = (): void => {
      const left = (this.#secondsLeft = this.#countdown!.secondsLeft());
      const mark = Countdown.crossed(before, left);
      before = left;
      if (mark) this.note = t(this.#lang, 'left', { t: formatClock(mark) });
      if (left <= 0) {
        this.#watch?.check(); // the signer may have seen a payment at the last moment
        this.#expire();
      }
      this.#host.requestUpdate();
    };
    step();
    this.#ticker = setInterval(step, 1000);
  }

  #expire(): void {
    const host = this.#host;
    if (host.status === 'expired' || !this.#view) return;
    clearInterval(this.#ticker);
    host.status = 'expired';
    this.note = t(this.#lang, 'expired');
    // The stream stays open: a payment that arrives late is still shown as paid.
    this.#renewable = emit(host, 'codepay-expired', this.#view, true) && !host.order;
  }

  #stop(): void {
    this.#watch?.close();
    this.#watch = undefined;
    clearInterval(this.#ticker);
  }

  /** The element's language, read each time: `locale` may change. */
  get #lang(): Locale {
    return pickLocale(this.#host);
  }

  /** What the buyer is asked to do: scan the QR; with no QR, tap the open button on a phone, else take the page to one. */
  #scanLabel(view: OrderView): string {
    const lang = this.#lang;
    const { scan, image, open } = payOptions(view.qr, matchMedia(PHONE).matches);
    const key = scan || image ? 'scan' : open ? '' : 'onPhone';
    return key && t(lang, key, { c: channelName(lang, view.type), a: formatMoney(lang, view.money ?? view.price) });
  }

  /** The amount to pay, when the buyer must mind it: it differs from the price, or the buyer types it. */
  #notice(view: OrderView): string {
    const money = view.money ?? view.price;
    const key = view.qr?.enterAmount ? 'enter' : money !== view.price ? 'exact' : '';
    return key && t(this.#lang, key, { a: formatMoney(this.#lang, money) });
  }

  #copy(money: string): void {
    const copied = (on: boolean) => () => {
      this.#copied = on;
      this.#host.requestUpdate();
    };
    // Without clipboard permission nothing changes: the amount stays on screen to type.
    navigator.clipboard.writeText(money).then(() => {
      copied(true)();
      setTimeout(copied(false), 2000);
    }, copied(false));
  }

  /**
   * What a buyer's phone does with the sandbox's QR code, from the desktop: POSTs its pay page. The
   * order turns paid through the status stream, as with any payment.
   */
  #payInSandbox(url: string): void {
    this.#sandboxPaying = true;
    this.#sandboxFailure = '';
    this.#host.requestUpdate();
    request(url, { method: 'POST', headers: { accept: 'application/json' } }).catch(async (failure: unknown) => {
      const { code, message } = await explain(failure);
      if (this.#dropped) return;
      this.#sandboxPaying = false;
      this.note = this.#sandboxFailure = code === 'NETWORK' ? t(this.#lang, 'network') : message || code;
      this.#host.requestUpdate();
    });
  }

  get #sandbox(): boolean {
    return configOf(endpointOf(this.#host))?.sandbox === true;
  }

  /** The body of the card in every state but idle, under the sandbox's mark in sandbox mode. */
  render(): TemplateResult {
    return html`${this.#sandbox ? html`<p part="sandbox">${t(this.#lang, 'sandbox')}</p>` : ''}${this.#body()}`;
  }

  #body(): TemplateResult {
    const host = this.#host;
    const lang = this.#lang;
    const view = this.#view;
    const error = this.#error;
    switch (error ? 'error' : view ? host.status : 'loading') {
      case 'error':
        return html`<div class="body">
          <p part="message">${error!.message}</p>
          ${error!.retryable && this.#retry ? button('retry', t(lang, 'retry'), this.#retry) : ''}
        </div>`;
      case 'paid':
        return html`<div class="body">
          <slot name="success"
            ><svg class="mark" viewBox="0 0 52 52" aria-hidden="true">
              <circle cx="26" cy="26" r="24" />
              <path d="m15 27 7 7 15-15" />
            </svg>
            <p part="message">${t(lang, 'paid')}</p></slot
          >
        </div>`;
      case 'expired':
        return html`<div class="body">
          <p part="message">${t(lang, 'expired')}</p>
          ${this.#renewable ? button('renew', t(lang, 'renew'), () => void host.start()) : ''}
        </div>`;
      case 'pending':
        return html`<div class="body">${this.#pending(view!)}</div>`;
      default: // loading: the size of the pending state, so nothing jumps
        return html`<div class="body" aria-busy="true">
          <div part="skeleton"></div>
          <div class="line"></div>
          <div class="line"></div>
        </div>`;
    }
  }

  #pending(view: OrderView): TemplateResult {
    const lang = this.#lang;
    const label = this.#scanLabel(view);
    const { scan: drawn, image, open } = payOptions(view.qr, matchMedia(PHONE).matches);
    const qr = this.#qr;
    const side = qr ? qr.size + 2 * QUIET_ZONE : 0;
    const code = qr
      ? html`<svg
          part="qr"
          role="img"
          aria-label=${label}
          viewBox="${-QUIET_ZONE} ${-QUIET_ZONE} ${side} ${side}"
          shape-rendering="crispEdges"
        >
          <path d=${qr.path} />
        </svg>`
      : image
        ? html`<img part="qr" src=${endpointOf(this.#host) + image} alt=${label} />`
        : drawn
          ? html`<div part="skeleton"></div>`
          : html`<p part="message">${label}</p>`; // nothing to scan: the words (a phone has the open button)
    const money = view.money ?? view.price;
    const notice = this.#notice(view);
    return html`${code} ${drawn || image ? html`<span class="hint" aria-hidden="true">${label}</span>` : ''}
      ${
        notice
          ? html`<p part="notice">
              ${notice}${button('copy', t(lang, this.#copied ? 'copied' : 'copy'), () => this.#copy(money))}
            </p>`
          : ''
      }
      <span part="countdown" role="timer">${t(lang, 'left', { t: formatClock(this.#secondsLeft) })}</span>
      ${
        drawn && this.#sandbox
          ? html`${button('sandbox-pay', t(lang, 'sandboxPay'), () => this.#payInSandbox(drawn), this.#sandboxPaying)}
            ${this.#sandboxFailure ? html`<p part="message">${this.#sandboxFailure}</p>` : ''}`
          : ''
      }
      ${
        open
          ? html`<a part="button open-button" href=${open} target=${WEB.test(open) ? '_blank' : nothing} rel="noopener"
              >${t(lang, 'open', { c: channelName(lang, view.type) })}</a
            >`
          : ''
      }`;
  }
}
