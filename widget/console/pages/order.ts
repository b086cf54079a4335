/**
 * One order: its details, the actions it allows (each confirmed first), its payments, status
 * history, webhook deliveries with the answers they got, its events and the actions recorded.
 */
import { css, html, type PropertyValues } from 'lit';
import { channelName } from '../../i18n.ts';
import { api, type Delivery, type OrderDetail } from '../api.ts';
import { confirmAction } from '../confirm.ts';
import { formatMoney, formatTime } from '../format.ts';
import { statusName, type Key } from '../i18n.ts';
import { Page } from '../page.ts';

class OrderPage extends Page<OrderDetail> {
  static override styles = [
    ...Page.styles,
    css`
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.3rem 1.2rem;
        margin: 0;
      }
      dt {
        color: var(--muted);
      }
      dd {
        margin: 0;
      }
      pre {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        margin: 0.4rem 0 0;
      }
      summary {
        cursor: pointer;
      }
    `,
  ];
  static override properties = { ...Page.properties, orderId: { type: String }, notice: { state: true } };
  declare orderId: string;
  /** What the last action did. */
  declare notice: string | undefined;

  protected override fetch(): Promise<OrderDetail> {
    return api.order(this.orderId);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('orderId') && changed.get('orderId') !== undefined) void this.reload();
  }

  /** Runs an action once the merchant confirms it, then shows the order as it is now. */
  async #act(message: Key, action: Key, run: () => Promise<string>, values: Record<string, string> = {}) {
    const danger = action === 'reject' || action === 'refund';
    const id = this.orderId;
    const confirmed = await confirmAction({
      locale: this.locale,
      message: this.tr(message, { id, ...values }),
      action: this.tr(action),
      danger,
    });
    if (!confirmed) return;
    try {
      this.notice = await run();
      await this.reload();
    } catch (error) {
      this.notice = undefined;
      this.fail(error);
    }
  }

  protected override renderData(data: OrderDetail) {
    const { order, can } = data;
    const money = (amount: string | null) => (amount === null ? '—' : formatMoney(this.locale, amount));
    const time = (at: number | null) => formatTime(this.locale, at);
    const review = data.payments.find((payment) => payment.outcome === 'review');
    return html`<p><a href="#/orders">← ${this.tr('back')}</a></p>
      <h1 tabindex="-1">${this.tr('order')} <span class="mono">${order.id}</span></h1>
      <section aria-labelledby="details">
        <h2 id="details">${this.tr('details')}</h2>
        <dl>
          <dt>${this.tr('status')}</dt>
          <dd>
            <span class="badge ${order.status}" data-status=${order.status}
              >${statusName(this.locale, order.status)}</span
            >${' '} ${order.late ? html`<span class="muted">${this.tr('late')}</span>` : ''}
            ${order.errorCode ? html`<code>${order.errorCode}</code>` : ''}
          </dd>
          <dt>${this.tr('price')}</dt>
          <dd>${money(order.price)}</dd>
          <dt>${this.tr('toPay')}</dt>
          <dd>${money(order.money)}</dd>
          <dt>${this.tr('channel')}</dt>
          <dd>${channelName(this.locale, order.type)}</dd>
          <dt>${this.tr('product')}</dt>
          <dd>${order.product ?? '—'}</dd>
          <dt>${this.tr('reference')}</dt>
          <dd class="mono">${order.reference ?? '—'}</dd>
          <dt>${this.tr('param')}</dt>
          <dd class="mono">${order.param ?? '—'}</dd>
          <dt>${this.tr('created')}</dt>
          <dd>${time(order.createdAt)}</dd>
          <dt>${this.tr('paidAt')}</dt>
          <dd>${time(order.paidAt)}</dd>
          ${
            order.refunded
              ? html`<dt>${this.tr('refunded')}</dt>
                  <dd>${money(order.refunded)}</dd>`
              : ''
          }
        </dl>
      </section>
      <section aria-labelledby="actions">
        <h2 id="actions">${this.tr('actions')}</h2>
        <p class="row">
          ${
            can.review
              ? html`<button
                    class="primary"
                    data-action="accept"
                    @click=${() =>
                      this.#act(
                        'acceptConfirm',
                        'accept',
                        async () => (await api.review(order.id, 'accept'), this.tr('done')),
                        { money: money(review?.money ?? order.money) },
                      )}
                  >
                    ${this.tr('accept')}
                  </button>
                  <button
                    class="danger"
                    data-action="reject"
                    @click=${() =>
                      this.#act(
                        'rejectConfirm',
                        'reject',
                        async () => (await api.review(order.id, 'reject'), this.tr('done')),
                      )}
                  >
                    ${this.tr('reject')}
                  </button>`
              : ''
          }
          <button
            data-action="reconcile"
            @click=${() =>
              this.#act('reconcileConfirm', 'reconcile', async () =>
                this.tr('reconciled', { n: (await api.reconcile(order.id)).found }),
              )}
          >
            ${this.tr('reconcile')}
          </button>
          ${
            can.refund
              ? html`<button
                  class="danger"
                  data-action="refund"
                  @click=${() => this.#act('refundConfirm', 'refund', async () => (await api.refund(order.id), this.tr('done')))}
                >
                  ${this.tr('refund')}
                </button>`
              : ''
          }
        </p>
        <p role="status" data-notice>${this.notice ?? ''}</p>
      </section>
      ${this.#payments(data)} ${this.#history(data)} ${this.#deliveries(data)} ${this.#events(data)}
      ${this.#actions(data)}`;
  }

  #payments(data: OrderDetail) {
    return html`<section aria-labelledby="payments">
      <h2 id="payments">${this.tr('payments')}</h2>
      ${
        data.payments.length
          ? html`<div class="scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">${this.tr('payNo')}</th>
                    <th scope="col">${this.tr('outcome')}</th>
                    <th scope="col" class="num">${this.tr('money')}</th>
                    <th scope="col">${this.tr('received')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${data.payments.map(
                    (payment) =>
                      html`<tr>
                        <td class="mono">${payment.payNo}</td>
                        <td>
                          <span class="badge ${payment.outcome}">${statusName(this.locale, payment.outcome)}</span>
                        </td>
                        <td class="num">${formatMoney(this.locale, payment.money)}</td>
                        <td>${formatTime(this.locale, payment.receivedAt)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<p class="muted">${this.tr('noPayments')}</p>`
      }
    </section>`;
  }

  #history(data: OrderDetail) {
    return html`<section aria-labelledby="history">
      <h2 id="history">${this.tr('history')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">${this.tr('at')}</th>
            <th scope="col">${this.tr('change')}</th>
          </tr>
        </thead>
        <tbody>
          ${data.history.map(
            (step) =>
              html`<tr>
                <td>${formatTime(this.locale, step.at)}</td>
                <td>
                  ${step.from ? html`${statusName(this.locale, step.from)} → ` : ''}
                  <span class="badge ${step.to}">${statusName(this.locale, step.to)}</span>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
  }

  #deliveryState(delivery: Delivery): string {
    const time = (at: number | null) => formatTime(this.locale, at);
    if (delivery.deliveredAt !== null) return this.tr('delivered', { t: time(delivery.deliveredAt) });
    if (delivery.givenUpAt !== null) return this.tr('givenUp', { t: time(delivery.givenUpAt) });
    return this.tr('nextAttempt', { t: time(delivery.nextAttemptAt) });
  }

  #deliveries(data: OrderDetail) {
    const rows = data.events.flatMap((event) => event.deliveries.map((delivery) => ({ event, delivery })));
    return html`<section aria-labelledby="webhooks">
      <h2 id="webhooks">${this.tr('webhooks')}</h2>
      ${
        rows.length
          ? html`<div class="scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">${this.tr('event')}</th>
                    <th scope="col">${this.tr('destination')}</th>
                    <th scope="col" class="num">${this.tr('attempts')}</th>
                    <th scope="col">${this.tr('delivery')}</th>
                    <th scope="col">${this.tr('answer')}</th>
                    <th scope="col"><span class="visually-hidden">${this.tr('actions')}</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${rows.map(
                    ({ event, delivery }) =>
                      html`<tr data-event=${event.id}>
                        <td><code>${event.type}</code><br /><span class="mono muted">${event.id}</span></td>
                        <td>${delivery.destination}</td>
                        <td class="num" data-attempts>${delivery.attempts}</td>
                        <td>${this.#deliveryState(delivery)}</td>
                        <td class="mono">${delivery.lastAnswer ?? delivery.lastError ?? '—'}</td>
                        <td>
                          ${
                            data.can.resend
                              ? html`<button
                                  data-action="resend"
                                  aria-label="${this.tr('resend')} ${event.type} ${event.id}"
                                  @click=${() =>
                                    this.#act(
                                      'resendConfirm',
                                      'resend',
                                      async () => (await api.resend(event.id), this.tr('resent')),
                                      { id: event.id },
                                    )}
                                >
                                  ${this.tr('resend')}
                                </button>`
                              : ''
                          }
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<p class="muted">${this.tr('noEvents')}</p>`
      }
    </section>`;
  }

  #events(data: OrderDetail) {
    return html`<section aria-labelledby="events">
      <h2 id="events">${this.tr('events')}</h2>
      ${
        data.events.length
          ? data.events.map(
              (event) =>
                html`<details>
                  <summary><code>${event.type}</code> · ${formatTime(this.locale, event.createdAt)}</summary>
                  <pre class="mono">${JSON.stringify(event.payload, null, 2)}</pre>
                </details>`,
            )
          : html`<p class="muted">${this.tr('noEvents')}</p>`
      }
    </section>`;
  }

  #actions(data: OrderDetail) {
    return html`<section aria-labelledby="action-log">
      <h2 id="action-log">${this.tr('actionLog')}</h2>
      ${
        data.actions.length
          ? html`<table>
              <thead>
                <tr>
                  <th scope="col">${this.tr('at')}</th>
                  <th scope="col">${this.tr('actions')}</th>
                  <th scope="col">${this.tr('actor')}</th>
                  <th scope="col">${this.tr('result')}</th>
                </tr>
              </thead>
              <tbody>
                ${data.actions.map(
                  (action) =>
                    html`<tr>
                      <td>${formatTime(this.locale, action.at)}</td>
                      <td><code>${action.action}</code> ${action.detail}</td>
                      <td class="mono">${action.actor}</td>
                      <td><span class="badge ${action.result}">${statusName(this.locale, action.result)}</span></td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="muted">${this.tr('noActions')}</p>`
      }
    </section>`;
  }
}
customElements.define('console-order', OrderPage);
