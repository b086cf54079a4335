/** Mounting a checkout against the test signer, reading its shadow DOM, paying through the sandbox. */
import axe from 'axe-core';
import jsQR from 'jsqr';
import { expect, inject } from 'vitest';
import { commands, page } from 'vitest/browser';
import type { OrderView } from '../../shared/api.ts';
import type { CheckoutStatus, CodepayCheckout } from '../../widget/index.ts';
import '../../widget/index.ts';

export const EVENTS = ['codepay-order', 'codepay-paid', 'codepay-expired', 'codepay-error'] as const;

export interface Mounted {
  el: CodepayCheckout;
  /** Every event the element fired, in order. */
  events: CustomEvent[];
  names(): string[];
  /** The last `codepay-order` detail. */
  order(): OrderView;
}

/** Attributes as written in HTML; `endpoint` defaults to the test signer. */
export function mount(attributes: Record<string, string>, parent: HTMLElement = document.body): Mounted {
  const el = document.createElement('codepay-checkout');
  el.setAttribute('endpoint', inject('signerUrl'));
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  const events: CustomEvent[] = [];
  for (const type of EVENTS) el.addEventListener(type, (event) => events.push(event as CustomEvent));
  parent.append(el);
  return {
    el,
    events,
    names: () => events.map((event) => event.type),
    order: () => events.filter((event) => event.type === 'codepay-order').at(-1)!.detail as OrderView,
  };
}

export const shadow = (el: CodepayCheckout): ShadowRoot => el.shadowRoot!;
export const part = (el: CodepayCheckout, name: string): HTMLElement | null =>
  shadow(el).querySelector(`[part~="${name}"]`);
export const text = (el: CodepayCheckout): string => (shadow(el).querySelector('[part=base]') as HTMLElement).innerText;

export async function waitFor(el: CodepayCheckout, status: CheckoutStatus, timeout = 10_000): Promise<void> {
  await expect.poll(() => el.getAttribute('status'), { timeout, interval: 50 }).toBe(status);
  await el.updateComplete;
}

/** Clicks a button of the element like a user (a real pointer event through Playwright). */
export async function click(el: CodepayCheckout, partName: string): Promise<void> {
  const button = part(el, partName);
  expect(button, partName).not.toBeNull();
  await page.elementLocator(button!).click();
}

/** What a buyer's phone does after scanning: POSTs the sandbox payment page the QR encodes. */
export async function pay(order: OrderView): Promise<void> {
  const response = await commands.nodeFetch(order.qr!.payload!, { method: 'POST' });
  expect(response.status).toBe(200);
}

/** Sets the sandbox's creat_order fault for every order (or clears it with `{}`). */
export async function fault(faults: Record<string, unknown>, signer = inject('signerUrl')): Promise<void> {
  const path = Object.keys(faults).length ? '/sandbox/_control/faults' : '/sandbox/_control/reset';
  const response = await commands.nodeFetch(signer + path, { method: 'POST', body: JSON.stringify(faults) });
  expect(response.status, response.body).toBe(200);
}

/** What a phone's camera reads from the element's QR code: a screenshot of it, decoded by jsQR. */
export async function readQr(el: CodepayCheckout): Promise<string | null> {
  const png = await page.screenshot({ element: part(el, 'qr')!, save: false });
  const image = new Image();
  image.src = `data:image/png;base64,${png}`;
  await image.decode();
  const canvas = new OffscreenCanvas(image.width, image.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(image, 0, 0);
  const { data, width, height } = context.getImageData(0, 0, image.width, image.height);
  return jsQR(data, width, height)?.data ?? null;
}

/** axe-core finds nothing in the element; `state` names it in the failure. */
export async function noViolations(el: HTMLElement, state: string): Promise<void> {
  const results = await axe.run(el, { resultTypes: ['violations'] });
  const found = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, state).toEqual([]);
}

/** An element screenshot under test/output/ (git-ignored). */
export async function shoot(el: HTMLElement, name: string): Promise<void> {
  await page.screenshot({ element: el, path: `../output/${name}.png` });
}

export function cleanup(): void {
  for (const el of document.body.querySelectorAll('codepay-checkout, [data-test]')) el.remove();
}
