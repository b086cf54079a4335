/** The size floor of the whole widget: a minimal Lit element that draws a `qrcode` SVG. */
import { LitElement, css, html } from 'lit';
import { unsafeSVG } from 'lit/directives/unsafe-svg.js';
import { toString } from 'qrcode';

class MinimalQrElement extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
  `;
  static override properties = { payload: {}, svg: { state: true } };
  declare payload: string;
  declare svg: string;

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('payload') && this.payload)
      void toString(this.payload, { type: 'svg' }).then((svg) => (this.svg = svg));
  }

  protected override render() {
    return html`<div part="qr">${unsafeSVG(this.svg ?? '')}</div>`;
  }
}

customElements.define('minimal-qr-element', MinimalQrElement);
