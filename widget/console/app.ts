/**
 * The console's shell: the session (sign-in until the signer knows us), the navigation, the
 * language and theme switches, and the page the address names.
 */
import { css, html, LitElement, type PropertyValues } from 'lit';
import { api, ApiFailure, setCsrf, setLanguage, type Session } from './api.ts';
import { initialLocale, LOCALE_NAMES, LOCALES, saveLocale, t, type Key, type Locale } from './i18n.ts';
import { SIGNED_OUT } from './page.ts';
import './pages/health.ts';
import './pages/order.ts';
import './pages/orders.ts';
import './pages/overview.ts';
import './pages/products.ts';
import { SIGNED_IN } from './pages/sign-in.ts';
import { parseRoute, type Route } from './router.ts';
import { baseStyles, documentStyles } from './styles.ts';
import { initialTheme, saveTheme, type Theme } from './theme.ts';

const NAV: { page: 'overview' | 'orders' | 'health' | 'products'; href: string }[] = [
  { page: 'overview', href: '#/' },
  { page: 'orders', href: '#/orders' },
  { page: 'products', href: '#/products' },
  { page: 'health', href: '#/health' },
];

class ConsoleApp extends LitElement {
  static override styles = [
    baseStyles,
    css`
      header {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.25rem;
        align-items: center;
        padding: 0.6rem 1.25rem;
        background: var(--surface);
        border-bottom: 1px solid var(--line);
      }
      .brand {
        font-weight: 700;
        margin-right: auto;
      }
      nav ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      nav a {
        display: block;
        padding: 0.3rem 0.7rem;
        border-radius: 6px;
        text-decoration: none;
      }
      nav a[aria-current='page'] {
        background: var(--accent);
        color: var(--on-accent);
      }
      .tools {
        display: flex;
        gap: 0.6rem;
        align-items: center;
      }
      .tools label {
        flex-direction: row;
        align-items: center;
        gap: 0.4rem;
      }
      main {
        padding: 1.25rem;
        max-width: 76rem;
        margin: 0 auto;
      }
      @media print {
        header {
          display: none;
        }
      }
    `,
  ];
  static override properties = {
    locale: { state: true },
    theme: { state: true },
    /** undefined: asking the signer; null: signed out. */
    session: { state: true },
    route: { state: true },
    notice: { state: true },
  };
  declare locale: Locale;
  declare theme: Theme;
  declare session: Session | null | undefined;
  declare route: Route;
  /** Why the sign-in form shows (the console is off, or the session ended). */
  declare notice: Key | undefined;

  constructor() {
    super();
    this.locale = initialLocale();
    this.theme = initialTheme();
    this.route = parseRoute(location.hash);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, documentStyles.styleSheet!];
    addEventListener('hashchange', () => (this.route = parseRoute(location.hash)));
    this.addEventListener(SIGNED_IN, (event) => this.#signedIn((event as CustomEvent<Session>).detail));
    this.addEventListener(SIGNED_OUT, () => this.#signedOut('signedOut'));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    api.session().then(
      (session) => this.#signedIn(session),
      (error) =>
        this.#signedOut(error instanceof ApiFailure && error.code === 'CONSOLE_OFF' ? 'consoleOff' : undefined),
    );
  }

  #signedIn(session: Session): void {
    setCsrf(session.csrf);
    this.notice = undefined;
    this.session = session;
  }

  #signedOut(notice: Key | undefined): void {
    setCsrf('');
    this.notice = notice;
    this.session = null;
  }

  async #signOut(): Promise<void> {
    try {
      await api.signOut();
    } finally {
      this.#signedOut(undefined);
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale')) {
      document.documentElement.lang = this.locale;
      document.title = `${t(this.locale, 'console')} · codepay-checkout`;
      setLanguage(this.locale);
    }
    if (changed.has('theme')) document.documentElement.dataset.theme = this.theme;
  }

  protected override updated(changed: PropertyValues<this>): void {
    // A new page: its heading takes the focus, so keyboard and screen reader users start there.
    if (changed.has('route') && changed.get('route') !== undefined) void this.#focusHeading();
  }

  async #focusHeading(): Promise<void> {
    const page = this.renderRoot.querySelector('main > *') as LitElement | null;
    await page?.updateComplete;
    // The data may still be loading: wait for the heading a little.
    for (let i = 0; i < 40 && page; i++) {
      const heading = page.renderRoot.querySelector<HTMLElement>('h1');
      if (heading) return heading.focus();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  #setLocale(locale: Locale): void {
    saveLocale(locale);
    this.locale = locale;
  }

  #toggleTheme(): void {
    this.theme = this.theme === 'dark' ? 'light' : 'dark';
    saveTheme(this.theme);
  }

  protected override render() {
    const tr = (key: Key) => t(this.locale, key);
    const tools = html`<div class="tools">
      <label
        >${tr('language')}
        <select @change=${(event: Event) => this.#setLocale((event.target as HTMLSelectElement).value as Locale)}>
          ${LOCALES.map(
            (locale) =>
              html`<option value=${locale} lang=${locale} ?selected=${locale === this.locale}>
                ${LOCALE_NAMES[locale]}
              </option>`,
          )}
        </select></label
      >
      <button aria-pressed=${this.theme === 'dark' ? 'true' : 'false'} @click=${this.#toggleTheme}>
        ${tr('darkTheme')}
      </button>
      ${this.session ? html`<button data-action="sign-out" @click=${this.#signOut}>${tr('signOut')}</button>` : ''}
    </div>`;
    return html`<header>
        <span class="brand">codepay · ${tr('console')}</span>
        ${
          this.session
            ? html`<nav aria-label=${tr('mainNav')}>
                <ul>
                  ${NAV.map(
                    (item) =>
                      html`<li>
                        <a
                          href=${item.href}
                          aria-current=${
                            item.page === this.route.page || (item.page === 'orders' && this.route.page === 'order')
                              ? 'page'
                              : 'false'
                          }
                          >${tr(item.page)}</a
                        >
                      </li>`,
                  )}
                </ul>
              </nav>`
            : ''
        }
        ${tools}
      </header>
      <main>${this.#page()}</main>`;
  }

  #page() {
    if (this.session === undefined) return html`<p class="muted" role="status">${t(this.locale, 'loading')}</p>`;
    if (this.session === null)
      return html`<console-sign-in .locale=${this.locale} .notice=${this.notice}></console-sign-in>`;
    const route = this.route;
    switch (route.page) {
      case 'orders':
        return html`<console-orders .locale=${this.locale} .query=${route.query}></console-orders>`;
      case 'order':
        return html`<console-order .locale=${this.locale} .orderId=${route.id}></console-order>`;
      case 'health':
        return html`<console-health .locale=${this.locale}></console-health>`;
      case 'products':
        return html`<console-products .locale=${this.locale}></console-products>`;
      default:
        return html`<console-overview .locale=${this.locale}></console-overview>`;
    }
  }
}
customElements.define('codepay-console', ConsoleApp);
