/** The password form; a wrong password, a lockout and a console that is off each say so. */
import { css, html, LitElement } from 'lit';
import { api, ApiFailure, type Session } from '../api.ts';
import { t, type Key, type Locale } from '../i18n.ts';
import { baseStyles } from '../styles.ts';

/** A message with `command` parts shown as code. */
const withCode = (text: string) => text.split('`').map((part, i) => (i % 2 ? html`<code>${part}</code>` : part));

/** Fired with the new session once the password is accepted. */
export const SIGNED_IN = 'console-signed-in';

class SignIn extends LitElement {
  static override styles = [
    baseStyles,
    css`
      form {
        max-width: 22rem;
        margin: 4rem auto;
        display: flex;
        flex-direction: column;
        gap: 0.9rem;
      }
    `,
  ];
  static override properties = {
    locale: { type: String },
    /** A message the app passes in: the console is off, or the session ended. */
    notice: { type: String },
    failure: { state: true },
    busy: { state: true },
  };
  declare locale: Locale;
  declare notice: Key | undefined;
  declare failure: string | undefined;
  declare busy: boolean;

  constructor() {
    super();
    this.locale = 'en';
    this.busy = false;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const input = this.renderRoot.querySelector('input')!;
    this.busy = true;
    try {
      const session: Session = await api.signIn(input.value);
      this.failure = undefined;
      this.dispatchEvent(new CustomEvent(SIGNED_IN, { detail: session, bubbles: true, composed: true }));
    } catch (error) {
      this.failure = this.#explain(error);
      input.select();
    } finally {
      this.busy = false;
      input.focus();
    }
  }

  #explain(error: unknown): string {
    if (!(error instanceof ApiFailure)) return t(this.locale, 'error', { m: String(error) });
    if (error.code === 'WRONG_PASSWORD') return t(this.locale, 'wrongPassword');
    if (error.code === 'LOCKED_OUT') {
      const minutes = Math.max(1, Math.ceil((error.retryAfter ?? 900) / 60));
      return t(this.locale, 'lockedOut', { n: minutes });
    }
    if (error.code === 'CONSOLE_OFF') return t(this.locale, 'consoleOff');
    return t(this.locale, 'error', { m: error.message });
  }

  protected override render() {
    const tr = (key: Key) => t(this.locale, key);
    return html`<form @submit=${this.#submit} novalidate>
      <h1>${tr('signIn')}</h1>
      <p class="muted">${withCode(tr('signInIntro'))}</p>
      ${this.notice ? html`<p role="status">${withCode(tr(this.notice))}</p>` : ''}
      <label
        >${tr('password')}
        <input
          type="password"
          name="password"
          autocomplete="current-password"
          required
          aria-describedby="failure"
          aria-invalid=${this.failure ? 'true' : 'false'}
      /></label>
      <p id="failure" class="error" role="alert">${withCode(this.failure ?? '')}</p>
      <button class="primary" type="submit" ?disabled=${this.busy}>${tr('signIn')}</button>
    </form>`;
  }
}
customElements.define('console-sign-in', SignIn);
