/** The signer serves the widget bundle, its lazy chunk and the demo page itself. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureWidgetBuilt } from '../../scripts/widget-build.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  ensureWidgetBuilt();
  stack = await startStack();
}, 120_000);
afterAll(() => stack.stop({ removeData: true }));

it.each(['/codepay-checkout.js', '/codepay-checkout-flow.js'])(
  '%s: JavaScript any shop may load, revalidated with its ETag',
  async (path) => {
    const response = await fetch(`${stack.url}${path}`, { headers: { origin: 'https://shop.example.com' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('public, no-cache');
    expect((await response.text()).length).toBeGreaterThan(1000);
    const etag = response.headers.get('etag')!;
    const again = await fetch(`${stack.url}${path}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  },
);

it('serves the demo page under a strict Content-Security-Policy', async () => {
  const response = await fetch(`${stack.url}/`);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  const page = await response.text();
  expect(page).toContain('<codepay-checkout');
  expect(page).toContain('src="/codepay-checkout.js"');
});
