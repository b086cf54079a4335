/**
 * The confirm dialog every action goes through: a native modal <dialog>, which makes the rest of
 * the page inert (focus stays inside) and closes on Escape; the focus goes back to what opened it.
 */
import { html, LitElement, css } from 'lit';
import { t, type Locale } from './i18n.ts';
import { baseStyles } from './styles.ts';

interface Question {
  locale: Locale;
  message: string;
  /** The confirm button's text: the action itself ("Accept the payment"). */
  action: string;
  danger?: boolean;
}

class ConfirmDialog extends LitElement {
  static override styles = [
    baseStyles,
    css`
      dialog {
        color: var(--text);
        background: var(--surface);
        border: 1px solid var(--line);
        border-radius: 10px;
        max-width: 28rem;
        padding: 1.25rem;
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.45);
      }
      .buttons {
        display: flex;
        gap: 0.6rem;
        justify-content: flex-end;
        margin-top: 1rem;
      }
    `,
  ];
  static override properties = { question: { state: true } };
  declare question: Question | undefined;
  #answer: ((confirmed: boolean) => void) | undefined;
  #opener: HTMLElement | null = null;

  async ask(question: Question): Promise<boolean> {
    this.#opener = deepActiveElement();
    this.question = question;
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog')!;
    dialog.showModal();
    // The safe choice first: Enter on an unread dialog cancels.
    this.renderRoot.querySelector<HTMLButtonElement>('button.cancel')!.focus();
    return new Promise((resolve) => (this.#answer = resolve));
  }

  /**
   * Tab and Shift+Tab go round the dialog's buttons: a modal dialog makes the page inert, but
   * Chromium would still move the focus out of the dialog, to the browser's own controls.
   */
  #trap(event: KeyboardEvent): void {
    if (event.key !== 'Tab') return;
    const buttons = [...this.renderRoot.querySelectorAll('button')];
    const at = buttons.indexOf(this.shadowRoot!.activeElement as HTMLButtonElement);
    event.preventDefault();
    buttons.at((at + (event.shiftKey ? -1 : 1)) % buttons.length)!.focus();
  }

  #close(confirmed: boolean): void {
    this.renderRoot.querySelector('dialog')?.close();
    this.#answer?.(confirmed);
    this.#answer = undefined;
    this.#opener?.focus();
  }

  protected override render() {
    const q = this.question;
    return html`<dialog aria-labelledby="message" @cancel=${() => this.#close(false)} @keydown=${this.#trap}>
      <p id="message">${q?.message}</p>
      <div class="buttons">
        <button class="cancel" @click=${() => this.#close(false)}>${q ? t(q.locale, 'cancel') : ''}</button>
        <button class=${q?.danger ? 'danger confirm' : 'primary confirm'} @click=${() => this.#close(true)}>
          ${q?.action}
        </button>
      </div>
    </dialog>`;
  }
}
customElements.define('console-confirm', ConfirmDialog);

/** The focused element, looked for inside shadow roots too. */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

/** Asks the merchant to confirm; resolves true only on the confirm button. */
export function confirmAction(question: Question): Promise<boolean> {
  let dialog = document.querySelector<ConfirmDialog>('console-confirm');
  if (!dialog) dialog = document.body.appendChild(document.createElement('console-confirm') as ConfirmDialog);
  return dialog.ask(question);
}
