/** What every page of the console shares: the language, the styles, loading and failing. */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { ApiFailure } from './api.ts';
import { t, type Key, type Locale } from './i18n.ts';
import { baseStyles } from './styles.ts';

/** Fired (bubbling out of shadow roots) when the signer says the session is gone. */
export const SIGNED_OUT = 'console-signed-out';

export abstract class Page<Data> extends LitElement {
  static override styles = [baseStyles];
  static override properties = {
    locale: { type: String },
    data: { state: true },
    failure: { state: true },
  };

  declare locale: Locale;
  /** What the page shows, once loaded. */
  declare data: Data | undefined;
  declare failure: string | undefined;

  constructor() {
    super();
    this.locale = 'en';
  }

  /** Fetches what the page shows. */
  protected abstract fetch(): Promise<Data>;
  protected abstract renderData(data: Data): TemplateResult;

  protected tr(key: Key, values?: Record<string, string | number>): string {
    return t(this.locale, key, values);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  /** Loads the page's data again (after an action, or a new query). */
  async reload(): Promise<void> {
    try {
      this.data = await this.fetch();
      this.failure = undefined;
    } catch (error) {
      this.fail(error);
    }
  }

  /** Shows a failure, or hands a lost session to the app. */
  protected fail(error: unknown): void {
    if (error instanceof ApiFailure && error.code === 'NOT_SIGNED_IN') {
      this.dispatchEvent(new CustomEvent(SIGNED_OUT, { bubbles: true, composed: true }));
      return;
    }
    this.failure = this.tr('error', { m: error instanceof Error ? error.message : String(error) });
  }

  protected override render(): TemplateResult {
    return html`${
      this.failure
        ? html`<p class="error" role="alert">
            ${this.failure} <button @click=${() => this.reload()}>${this.tr('retry')}</button>
          </p>`
        : nothing
    }
    ${this.data === undefined ? html`<p class="muted" role="status">${this.tr('loading')}</p>` : this.renderData(this.data)}`;
  }
}
