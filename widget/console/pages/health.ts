/** The signer's health as the merchant reads it: gateway, notifies, outbox, watchers, database. */
import { css, html } from 'lit';
import { api, type Health } from '../api.ts';
import { formatTime } from '../format.ts';
import { Page } from '../page.ts';

class HealthPage extends Page<Health> {
  static override styles = [
    ...Page.styles,
    css`
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.5rem 1.5rem;
        margin: 0;
      }
      dt {
        color: var(--muted);
      }
      dd {
        margin: 0;
      }
    `,
  ];

  protected override fetch(): Promise<Health> {
    return api.health();
  }

  protected override renderData(health: Health) {
    const time = (at: number | null) => (at === null ? this.tr('never') : formatTime(this.locale, at));
    const { gateway } = health;
    return html`<h1 tabindex="-1">${this.tr('health')}</h1>
      <section>
        <dl>
          <dt>${this.tr('gateway')}</dt>
          <dd data-health="gateway">
            <span class="badge ${gateway.reachable ? 'ok' : 'failed'}"
              >${this.tr(gateway.reachable ? 'reachable' : 'unreachable')}</span
            >${' '} ${gateway.provider} (${gateway.kind})
            ${gateway.latencyMs != null ? this.tr('latency', { n: gateway.latencyMs }) : ''}
            ${gateway.error ? html`<span class="error">${gateway.error}</span>` : ''} <br /><span class="muted"
              >${this.tr('checked')}: ${time(gateway.checkedAt)}</span
            >
          </dd>
          <dt>${this.tr('mode')}</dt>
          <dd>${this.tr(health.sandbox ? 'sandbox' : 'live_')}</dd>
          <dt>${this.tr('lastNotify')}</dt>
          <dd data-health="notify">${time(health.lastNotifyAt)}</dd>
          <dt>${this.tr('lastPayment')}</dt>
          <dd>${time(health.lastPaymentAt)}</dd>
          <dt>${this.tr('outbox')}</dt>
          <dd data-health="outbox">${this.tr('outboxLine', { n: health.outbox.backlog, g: health.outbox.givenUp })}</dd>
          <dt>${this.tr('watchers')}</dt>
          <dd>${this.tr('watchersLine', { n: health.watchers, s: health.streams })}</dd>
          <dt>${this.tr('database')}</dt>
          <dd data-health="database">${health.database}</dd>
          <dt>${this.tr('writes')}</dt>
          <dd>
            <span class="badge ${health.writes.failing ? 'failed' : 'ok'}"
              >${this.tr(health.writes.failing ? 'writesFailing' : 'writesOk')}</span
            >
            ${health.writes.lastFailureAt !== null ? time(health.writes.lastFailureAt) : ''}
          </dd>
        </dl>
      </section>`;
  }
}
customElements.define('console-health', HealthPage);
