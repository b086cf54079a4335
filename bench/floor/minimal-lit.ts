/** The size floor of the widget's first load: a minimal Lit element, built the way the widget is. */
import { LitElement, css, html } from 'lit';

class MinimalElement extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
  `;
  static override properties = { price: {} };
  declare price: string;

  protected override render() {
    return html`<button part="button">${this.price}</button>`;
  }
}

customElements.define('minimal-element', MinimalElement);
