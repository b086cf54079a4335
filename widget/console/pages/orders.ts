/**
 * The orders table: filters kept in the page's address (#/orders?status=paid&page=2, so a view can
 * be bookmarked and the back button works), pagination, the CSV of the same filter, and live rows:
 * the admin stream's changes patch the rows shown, and new orders join an unfiltered first page.
 */
import { css, html, type PropertyValues } from 'lit';
import { CHANNELS } from '../../../shared/api.ts';
import { channelName } from '../../i18n.ts';
import { api, type AdminOrderRow, type OrderPage, type OrderQuery } from '../api.ts';
import { formatMoney, formatTime } from '../format.ts';
import { statusName } from '../i18n.ts';
import { Page } from '../page.ts';

const STATUSES = ['pending', 'paid', 'review', 'expired', 'failed', 'creating', 'refunded'] as const;
const FILTERS = ['status', 'type', 'from', 'to', 'q'] as const;

class OrdersPage extends Page<OrderPage> {
  static override styles = [
    ...Page.styles,
    css`
      form {
        margin-bottom: 1rem;
      }
      .pages {
        display: flex;
        gap: 0.75rem;
        align-items: center;
        justify-content: space-between;
        flex-wrap: wrap;
        margin-top: 0.75rem;
      }
      tr.fresh td {
        background: var(--ok-bg);
      }
    `,
  ];
  static override properties = { ...Page.properties, query: { attribute: false } };
  declare query: OrderQuery;
  #stream: EventSource | undefined;

  constructor() {
    super();
    this.query = {};
  }

  protected override fetch(): Promise<OrderPage> {
    return api.orders(this.query);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#stream = api.stream();
    this.#stream.addEventListener('order', (event) => this.#patch(JSON.parse((event as MessageEvent).data)));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stream?.close();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('query') && changed.get('query') !== undefined) void this.reload();
  }

  /**
   * A change from the stream: the row shown takes it; a new order is put on top of the first page
   * when no filter is set (with one, which rows match is the signer's to say: the next load shows it).
   */
  #patch(row: AdminOrderRow): void {
    if (!this.data) return;
    const shown = this.data.orders.some((order) => order.id === row.id);
    if (shown) {
      this.data = { ...this.data, orders: this.data.orders.map((order) => (order.id === row.id ? row : order)) };
    } else if (this.data.page === 1 && !FILTERS.some((name) => this.query[name])) {
      const orders = [row, ...this.data.orders].slice(0, this.data.pageSize);
      this.data = { ...this.data, orders, total: this.data.total + 1 };
    }
  }

  #apply(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const query: OrderQuery = {};
    for (const name of FILTERS) query[name] = String(form.get(name) ?? '').trim();
    const hash = ordersHash(query);
    // The same filters again: no new address, so load the table anew here (new orders show).
    if (location.hash === hash) void this.reload();
    else location.hash = hash;
  }

  protected override renderData(data: OrderPage) {
    const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
    const q = this.query;
    return html`<h1 tabindex="-1">${this.tr('orders')}</h1>
      <form class="row" role="search" aria-label=${this.tr('filters')} @submit=${this.#apply}>
        <label
          >${this.tr('status')}
          <select name="status">
            <option value="">${this.tr('any')}</option>
            ${STATUSES.map(
              (status) =>
                html`<option value=${status} ?selected=${q.status === status}>
                  ${statusName(this.locale, status)}
                </option>`,
            )}
          </select></label
        >
        <label
          >${this.tr('channel')}
          <select name="type">
            <option value="">${this.tr('any')}</option>
            ${CHANNELS.map(
              (type) =>
                html`<option value=${type} ?selected=${q.type === String(type)}>
                  ${channelName(this.locale, type)}
                </option>`,
            )}
          </select></label
        >
        <label>${this.tr('from')} <input type="date" name="from" .value=${q.from ?? ''} /></label>
        <label>${this.tr('to')} <input type="date" name="to" .value=${q.to ?? ''} /></label>
        <label>${this.tr('search')} <input type="search" name="q" maxlength="100" .value=${q.q ?? ''} /></label>
        <button class="primary" type="submit">${this.tr('apply')}</button>
        <a class="button" href="#/orders">${this.tr('clear')}</a>
        <a class="button" href=${api.csvUrl(q)} download data-csv>${this.tr('exportCsv')}</a>
      </form>
      <p class="muted">${this.tr('live')}</p>
      <div class="scroll">
        <table data-orders>
          <thead>
            <tr>
              <th scope="col">${this.tr('order')}</th>
              <th scope="col">${this.tr('status')}</th>
              <th scope="col" class="num">${this.tr('price')}</th>
              <th scope="col" class="num">${this.tr('toPay')}</th>
              <th scope="col">${this.tr('channel')}</th>
              <th scope="col">${this.tr('product')}</th>
              <th scope="col">${this.tr('reference')}</th>
              <th scope="col">${this.tr('param')}</th>
              <th scope="col">${this.tr('created')}</th>
              <th scope="col">${this.tr('paidAt')}</th>
            </tr>
          </thead>
          <tbody>
            ${data.orders.map((order) => this.#row(order))}
          </tbody>
        </table>
      </div>
      ${data.orders.length ? '' : html`<p class="muted">${this.tr('noOrders')}</p>`}
      <nav class="pages" aria-label=${this.tr('pagination')}>
        <span>${this.tr('pageOf', { n: data.page, m: pages, total: data.total })}</span>
        <span class="row">
          ${
            data.page > 1
              ? html`<a class="button" rel="prev" href=${ordersHash({ ...q, page: String(data.page - 1) })}
                  >${this.tr('previous')}</a
                >`
              : ''
          }
          ${
            data.page < pages
              ? html`<a class="button" rel="next" href=${ordersHash({ ...q, page: String(data.page + 1) })}
                  >${this.tr('next')}</a
                >`
              : ''
          }
        </span>
      </nav>`;
  }

  #row(order: AdminOrderRow) {
    const money = (amount: string | null) => (amount === null ? '—' : formatMoney(this.locale, amount));
    return html`<tr data-id=${order.id} data-status=${order.status}>
      <td><a class="mono" href="#/orders/${encodeURIComponent(order.id)}">${order.id}</a></td>
      <td>
        <span class="badge ${order.status}">${statusName(this.locale, order.status)}</span>${' '}
        ${order.late ? html`<span class="muted">${this.tr('late')}</span>` : ''}
      </td>
      <td class="num">${money(order.price)}</td>
      <td class="num">${money(order.money)}</td>
      <td>${channelName(this.locale, order.type)}</td>
      <td>${order.product ?? ''}</td>
      <td class="mono">${order.reference ?? ''}</td>
      <td class="mono">${order.param ?? ''}</td>
      <td>${formatTime(this.locale, order.createdAt)}</td>
      <td>${order.paidAt === null ? '' : formatTime(this.locale, order.paidAt)}</td>
    </tr>`;
  }
}
customElements.define('console-orders', OrdersPage);

/** The address of the orders table with these filters. */
export function ordersHash(query: OrderQuery): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const search = params.toString();
  return `#/orders${search ? `?${search}` : ''}`;
}
