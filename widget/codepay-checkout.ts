import { ReactiveElement, type PropertyDeclarations, type PropertyValues } from '@lit/reactive-element';
import { html, nothing, render, type TemplateResult } from 'lit/html.js';
import type { Channel } from '../shared/api.ts';
import { configOf, getConfig } from './api-client.ts';
import type { OrderFlow } from './flow.ts';
import { emit, endpointOf, type CheckoutEventMap, type CheckoutHost, type CheckoutStatus } from './host.ts';
import { channelName, formatMoney, pickLocale, t } from './i18n.ts';
import { styles } from './styles.ts';

/**
 * Everything past the idle state (order, QR encoder, status stream, errors) is a chunk of its own,
 * fetched at the first order or error, so the first paint stays small.
 */
const loadFlow = () => import('./flow.ts');

/**
 * A CodePay (码支付) checkout: the amount and a pay button, then a QR code that follows the order's
 * status at the signer until it is paid.
 *
 * @event codepay-order - An order was created or loaded. `detail`: its OrderView.
 * @event codepay-paid - The signer says the order is paid; fired once an order. `detail`: its OrderView.
 * @event codepay-expired - The QR code expired. Cancelable: `preventDefault()` hides the renew button. `detail`: the OrderView.
 * @event codepay-error - Something failed. `detail`: `{code, message, retryable}`.
 *
 * @slot header - Above the amount.
 * @slot footer - Below everything else.
 * @slot success - Replaces the default "payment received" mark and text.
 *
 * @csspart base - The card around everything.
 * @csspart amount - The price (and product name).
 * @csspart channels - The group of payment channel choices.
 * @csspart channel - One channel choice (a label around a radio button).
 * @csspart button - Every button; each also has its own part below.
 * @csspart pay-button - Creates the order.
 * @csspart qr - The QR code (an SVG, or an image served by the signer).
 * @csspart notice - "Please pay exactly ¥9.89", when the amount to pay differs from the price.
 * @csspart copy-button - Copies the amount to pay.
 * @csspart countdown - The time left to pay.
 * @csspart open-button - Opens the payment link on a phone.
 * @csspart message - The paid, expired or error message.
 * @csspart renew-button - Creates a new order after the QR code expired.
 * @csspart retry-button - Tries the failed step again.
 * @csspart skeleton - The placeholder shown while loading.
 * @csspart sandbox - In sandbox mode, the mark saying so, above everything past the pay button.
 * @csspart sandbox-pay-button - In sandbox mode, pays the order at the sandbox, as a phone would.
 *
 * @cssprop --codepay-accent - Button and highlight colour (default: the channel's colour).
 * @cssprop --codepay-color - Text colour.
 * @cssprop --codepay-muted-color - Secondary text colour.
 * @cssprop --codepay-background - Card background.
 * @cssprop --codepay-border-color - Card and control borders.
 * @cssprop --codepay-radius - Card corner radius (controls use 60% of it).
 * @cssprop --codepay-font - Font family.
 * @cssprop --codepay-width - Maximum width of the card.
 * @cssprop --codepay-qr-size - Side of the QR code.
 * @cssprop --codepay-qr-color - Colour of the QR code's modules.
 * @cssprop --codepay-qr-background - Background of the QR code.
 */
export class CodepayCheckout extends ReactiveElement implements CheckoutHost {
  static override styles = styles;

  static override properties: PropertyDeclarations = {
    price: {},
    product: {},
    order: {},
    type: { type: Number },
    param: {},
    endpoint: {},
    locale: {},
    theme: { reflect: true },
    status: { reflect: true },
  };

  /** The price to ask for, "9.90" (unused when `product` is set: the signer prices products). */
  declare price?: string;
  /** A product id from the signer's configuration. */
  declare product?: string;
  /** An order the merchant's backend created: show it instead of creating one. */
  declare order?: string;
  /** Fixes the channel: 1 Alipay, 2 QQ Wallet, 3 WeChat Pay. */
  declare type?: Channel;
  /** Passed through to the order (CodePay's `param`). */
  declare param?: string;
  /** The signer's URL; default: the origin this script was loaded from. */
  declare endpoint?: string;
  /** zh-CN, zh-TW or en; default: the nearest `lang`, then the browser's language. */
  declare locale?: string;
  /** `light` or `dark`; default: the system's preference. */
  declare theme?: 'light' | 'dark';
  /** Reflected, so a page can style `codepay-checkout[status=paid]`. Read-only. */
  declare status: CheckoutStatus;

  /** The channel the buyer picked. */
  #picked?: Channel;
  #flow?: OrderFlow;
  /** Counts resets, so a late answer to an abandoned request changes nothing. */
  #run = 0;

  constructor() {
    super();
    this.status = 'idle';
  }

  override connectedCallback(): void {
    super.connectedCallback(); // also resumes the order flow's stream and countdown
    // Nothing is requested before this point.
    if (this.status === 'idle') this.#begin();
  }

  protected override willUpdate(changed: PropertyValues): void {
    // A change starts over; once paid, only a new order or endpoint does.
    const keys = ['order', 'endpoint', 'price', 'product', 'type', 'param'];
    if (
      this.hasUpdated &&
      this.isConnected &&
      keys.some((key, i) => changed.has(key) && (i < 2 || this.status !== 'paid'))
    )
      this.#reset();
  }

  /** Creates the order and shows its QR code, as the pay button does (or shows the merchant's `order`). */
  async start(): Promise<void> {
    if (!['loading', 'pending', 'paid'].includes(this.status))
      await this.#withFlow(
        this.#reset('loading'),
        (flow) => flow.start(() => this.#channel()),
        () => void this.start(),
      );
  }

  /** Idle: the merchant's order, or else the configuration (channels, products). */
  #begin(): void {
    if (this.order) return void this.start();
    const run = this.#run;
    const retry = () => this.#reset();
    getConfig(endpointOf(this)).then(
      () => this.requestUpdate(),
      (error) => this.#withFlow(run, (flow) => flow.fail(error, retry), retry),
    );
  }

  /**
   * Runs `act` on a new order flow, unless the run was abandoned meanwhile; what fails is shown
   * through that flow. Without the flow's code (offline), the pay button stays as the way to try
   * again: NETWORK is retryable (shared/errors.ts).
   */
  async #withFlow(run: number, act: (flow: OrderFlow) => unknown, retry: () => void): Promise<void> {
    try {
      const { OrderFlow } = await loadFlow();
      if (run !== this.#run) return;
      this.#flow?.drop();
      await act((this.#flow = new OrderFlow(this)));
    } catch (error) {
      if (run !== this.#run) return;
      if (this.#flow) return this.#flow.fail(error, retry);
      this.status = 'error';
      emit(this, 'codepay-error', { code: 'NETWORK', message: String(error), retryable: true });
    }
  }

  /** The channel to pay with: fixed, picked, or the signer's first. */
  #channel(): Channel | undefined {
    return this.type ?? this.#picked ?? configOf(endpointOf(this))?.channels[0];
  }

  /** Back to a blank state; answers to anything started before are ignored from now on. */
  #reset(status: CheckoutStatus = 'idle'): number {
    this.#run++;
    this.#flow?.drop();
    this.#flow = undefined;
    this.status = status;
    if (status === 'idle' && this.isConnected) this.#begin();
    return this.#run;
  }

  /**
   * Renders with lit-html as LitElement does (the template first, then the update that reflects
   * attributes). The element extends ReactiveElement, not LitElement, to keep LitElement's code out
   * of the first load: what it adds here (async directives' connection, SSR hydration) is unused.
   */
  protected override update(changed: PropertyValues): void {
    const template = this.render();
    super.update(changed);
    render(template, this.renderRoot, { host: this });
  }

  protected render(): TemplateResult {
    const lang = pickLocale(this);
    const config = configOf(endpointOf(this));
    // The order once there is one, else what the attributes ask for.
    const order = this.#flow?.view ?? this;
    const product = config?.products.find((p) => p.id === order.product);
    const price = order === this ? (product?.price ?? this.price) : order.price;
    const money = price ? formatMoney(lang, price) : '';
    const channels = this.type ? [] : (config?.channels ?? []);
    const current = this.#channel();
    const name = product?.name ?? order.product;
    return html`<div part="base" class="c${order.type ?? current}">
      <slot name="header"></slot>
      <p part="amount">${money}<small>${name}</small></p>
      ${
        this.#flow && this.status !== 'idle'
          ? this.#flow.render()
          : [
              channels.length > 1
                ? html`<div part="channels" role="radiogroup" aria-label=${t(lang, 'method')}>
                    ${channels.map(
                      (c) =>
                        html`<label part="channel" class="c${c}">
                          <input
                            class="sr"
                            type="radio"
                            name="channel"
                            .checked=${c === current}
                            @change=${() => ((this.#picked = c), this.requestUpdate())}
                          />
                          ${channelName(lang, c)}
                        </label>`,
                    )}
                  </div>`
                : nothing,
              html`<button part="button pay-button" @click=${this.start}>${t(lang, 'pay')} ${money}</button>`,
            ]
      }
      <slot name="footer"></slot>
      <div class="sr" role="status">${this.#flow?.note}</div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'codepay-checkout': CodepayCheckout;
  }
  interface HTMLElementEventMap extends CheckoutEventMap {}
}
