/**
 * The pages behind payment links: `GET /pay/:product` for a product of the catalogue, `GET
 * /pay?price=12.50` for an open amount the price policy takes. A link that can't be paid (an
 * unknown product, an amount refused) gets a page saying why, with the refusal's status.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import type { Channel } from '../../shared/api.ts';
import { formatCents } from '../../shared/money.ts';
import { ApiError } from '../errors.ts';
import { parseCreateOrder, type PricePolicy } from '../orders/request.ts';
import { PAY_PATH } from './links.ts';
import { localizedMessage, preferredLocale } from './localize.ts';
import { PAY_PAGE_POLICY, payPageHtml, unusableLinkHtml, type PayPageView } from './pay-page-html.ts';

export interface PayPageDeps {
  pricePolicy: PricePolicy;
  channels: readonly Channel[];
  /** MERCHANT_NAME, or null. */
  merchantName: string | null;
  /** Where the signer is mounted ('' at the root): the widget's script is under it. */
  basePath: string;
}

/** What a link offers to pay for. */
type Offer = Pick<PayPageView, 'productName' | 'amount' | 'widget'>;

function productOffer(id: string, policy: PricePolicy): Offer {
  const product = policy.products.get(id);
  // Not echoing the id: the page must not say what a stranger wrote into a link on the shop's address.
  if (!product) throw new ApiError('UNKNOWN_PRODUCT', 'This shop sells no such product.');
  return { productName: product.name, amount: product.price, widget: { product: id } };
}

function openAmountOffer(price: string | string[] | undefined, deps: PayPageDeps): Offer {
  if (price === undefined) throw new ApiError('NOT_FOUND', 'This link names no product and no amount.');
  // The order API's own rules for a price a page gives: what the page offers, the signer takes.
  const command = parseCreateOrder({ price }, { policy: deps.pricePolicy, channels: deps.channels, trusted: false });
  return { productName: null, amount: command.price, widget: { price: formatCents(command.price) } };
}

export function payPageRouter(deps: PayPageDeps): Router {
  const { merchantName } = deps;
  const scriptUrl = `${deps.basePath}/codepay-checkout.js`;

  const serve = (ctx: Context, offer: () => Offer) => {
    const acceptLanguage = ctx.get('accept-language') || undefined;
    const locale = preferredLocale(acceptLanguage);
    let status = 200;
    let html: string;
    try {
      html = payPageHtml({ ...offer(), locale, merchantName, scriptUrl });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // A product that is not in the catalogue is a page that does not exist.
      status = error.code === 'UNKNOWN_PRODUCT' ? 404 : error.status;
      const message = localizedMessage(error.code, error.message, acceptLanguage);
      html = unusableLinkHtml({ locale, merchantName, message });
    }
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    // A price or a name may change at any restart: the page is asked for again each time.
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Content-Security-Policy', PAY_PAGE_POLICY);
    ctx.set('Content-Language', locale);
    ctx.vary('Accept-Language');
    ctx.body = html;
  };

  return new Router({ prefix: PAY_PATH })
    .get('/', (ctx) => serve(ctx, () => openAmountOffer(ctx.query.price, deps)))
    .get('/:product', (ctx) => serve(ctx, () => productOffer(ctx.params.product, deps.pricePolicy)));
}
