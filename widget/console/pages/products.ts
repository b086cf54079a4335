/**
 * Each product's payment link, to copy into a chat, and its QR code to print, drawn here with
 * the widget's encoder (the `qrcode` package's parts): no request leaves the page for it.
 */
import { css, html, svg } from 'lit';
import { encodeQr, QUIET_ZONE } from '../../qr.ts';
import { api, type Products } from '../api.ts';
import { formatMoney } from '../format.ts';
import { Page } from '../page.ts';

function qrCode(payload: string, label: string) {
  const { size, path } = encodeQr(payload);
  const side = size + 2 * QUIET_ZONE;
  return html`<svg class="qr" viewBox="0 0 ${side} ${side}" role="img" aria-label=${label}>
    ${svg`<rect width=${side} height=${side} fill="#fff"></rect>
      <path transform="translate(${QUIET_ZONE} ${QUIET_ZONE})" d=${path} fill="#000"></path>`}
  </svg>`;
}

class ProductsPage extends Page<Products> {
  static override styles = [
    ...Page.styles,
    css`
      .products {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr));
        gap: 1rem;
      }
      .qr {
        width: 12rem;
        height: 12rem;
        display: block;
        margin: 0.6rem 0;
      }
      h2 {
        margin: 0;
      }
      @media print {
        .noprint {
          display: none;
        }
        article {
          break-inside: avoid;
        }
      }
    `,
  ];
  static override properties = { ...Page.properties, copied: { state: true } };
  /** The id of the product whose link was just copied. */
  declare copied: string | undefined;

  protected override fetch(): Promise<Products> {
    return api.products();
  }

  async #copy(id: string, link: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(link);
      this.copied = id;
    } catch (error) {
      this.fail(error);
    }
  }

  protected override renderData(data: Products) {
    return html`<h1 tabindex="-1">${this.tr('products')}</h1>
      <p class="muted noprint">${this.tr('productsIntro')}</p>
      <p class="noprint"><button @click=${() => print()}>${this.tr('print')}</button></p>
      ${data.products.length ? '' : html`<p class="muted">${this.tr('noProducts')}</p>`}
      <div class="products">
        ${data.products.map(
          (product) =>
            html`<article class="card" data-product=${product.id} aria-labelledby="product-${product.id}">
              <h2 id="product-${product.id}">${product.name}</h2>
              <p>${formatMoney(this.locale, product.price)}${data.merchantName ? ` · ${data.merchantName}` : ''}</p>
              ${qrCode(product.link, this.tr('qrOf', { name: product.name }))}
              <p><a class="mono" href=${product.link} data-link>${product.link}</a></p>
              <p class="noprint">
                <button
                  aria-label="${this.tr('copy')}: ${product.name}"
                  @click=${() => this.#copy(product.id, product.link)}
                >
                  ${this.tr('copy')}
                </button>
                <span role="status">${this.copied === product.id ? this.tr('copied') : ''}</span>
              </p>
            </article>`,
        )}
      </div>`;
  }
}
customElements.define('console-products', ProductsPage);
