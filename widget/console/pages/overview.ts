/** Takings today and this month, orders by status, 30 days of takings, and what needs a look. */
import { css, html } from 'lit';
import { api, type AttentionItem, type Overview } from '../api.ts';
import { takingsChart } from '../chart.ts';
import { formatMoney, formatTime } from '../format.ts';
import { statusName, type Key } from '../i18n.ts';
import { Page } from '../page.ts';

const STATUSES = ['paid', 'pending', 'review', 'expired', 'failed', 'creating'] as const;
const KIND_NAMES: Record<AttentionItem['kind'], Key> = {
  review: 'kindReview',
  orphan: 'kindOrphan',
  extra: 'kindExtra',
};

class OverviewPage extends Page<Overview> {
  static override styles = [
    ...Page.styles,
    css`
      .figures {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr));
        gap: 1rem;
      }
      .figure {
        font-size: 1.8rem;
        font-weight: 600;
        margin: 0.2rem 0;
        font-variant-numeric: tabular-nums;
      }
      .statuses {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.5rem;
        padding: 0;
        margin: 0;
        list-style: none;
      }
      .statuses a {
        text-decoration: none;
      }
      .chart {
        margin: 0;
      }
      .chart svg {
        width: 100%;
        height: auto;
        max-height: 14rem;
      }
      .bar {
        fill: var(--accent);
      }
      .axis,
      .grid {
        stroke: var(--line);
      }
      .grid {
        stroke-dasharray: 4 4;
      }
      .label {
        fill: var(--muted);
        font-size: 12px;
      }
      figcaption {
        margin: 0.4rem 0;
      }
      summary {
        cursor: pointer;
        color: var(--accent);
      }
    `,
  ];

  protected override fetch(): Promise<Overview> {
    return api.overview();
  }

  protected override renderData(data: Overview) {
    const money = (amount: string) => formatMoney(this.locale, amount);
    return html`<h1 tabindex="-1">${this.tr('overview')}</h1>
      <div class="figures">
        <section aria-labelledby="today">
          <h2 id="today">${this.tr('today')}</h2>
          <p class="figure" data-figure="today">${money(data.today.takings)}</p>
          <p class="muted">${this.tr('paidOrders', { n: data.today.count })}</p>
        </section>
        <section aria-labelledby="month">
          <h2 id="month">${this.tr('thisMonth')}</h2>
          <p class="figure" data-figure="month">${money(data.month.takings)}</p>
          <p class="muted">${this.tr('paidOrders', { n: data.month.count })}</p>
        </section>
      </div>
      <section aria-labelledby="by-status">
        <h2 id="by-status">${this.tr('byStatus')}</h2>
        <ul class="statuses">
          ${STATUSES.map(
            (status) =>
              html`<li>
                <a href="#/orders?status=${status}" data-status=${status}
                  ><span class="badge ${status}">${statusName(this.locale, status)}</span>${' '}
                  <strong>${data.byStatus[status] ?? 0}</strong></a
                >
              </li>`,
          )}
        </ul>
      </section>
      <section aria-labelledby="chart-heading">
        <h2 id="chart-heading">${this.tr('takings')}</h2>
        ${takingsChart(this.locale, data.days)}
      </section>
      <section aria-labelledby="attention">
        <h2 id="attention">
          ${this.tr('needsLook')} <span class="badge review" data-count>${data.attention.count}</span>
        </h2>
        ${
          data.attention.count
            ? html`<p>${this.tr('needsLookCount', { n: data.attention.count })}</p>
                <div class="scroll">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">${this.tr('kind')}</th>
                        <th scope="col">${this.tr('order')}</th>
                        <th scope="col">${this.tr('payNo')}</th>
                        <th scope="col" class="num">${this.tr('money')}</th>
                        <th scope="col">${this.tr('received')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${data.attention.items.map(
                        (item) =>
                          html`<tr data-kind=${item.kind}>
                            <td><span class="badge ${item.kind}">${this.tr(KIND_NAMES[item.kind])}</span></td>
                            <td>
                              ${
                                item.orderId
                                  ? html`<a class="mono" href="#/orders/${encodeURIComponent(item.orderId)}"
                                      >${item.orderId}</a
                                    >`
                                  : '—'
                              }
                            </td>
                            <td class="mono">${item.payNo}</td>
                            <td class="num">${money(item.money)}</td>
                            <td>${formatTime(this.locale, item.receivedAt)}</td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>`
            : html`<p class="muted">${this.tr('nothingNeedsLook')}</p>`
        }
      </section>`;
  }
}
customElements.define('console-overview', OverviewPage);
