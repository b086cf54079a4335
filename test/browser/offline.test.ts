/**
 * The lazily loaded part can't be fetched (offline, or a CDN hiccup): the buyer keeps the pay button
 * and the page hears NETWORK. Its own file: the module must not have been loaded in this page yet.
 */
import { afterEach, expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import { cleanup, click, mount, part, waitFor } from './helpers.ts';

afterEach(async () => {
  cleanup();
  await commands.blockRequests(null);
});

test('no flow chunk: a NETWORK error, the pay button stays, and it works once the chunk loads', async () => {
  await commands.blockRequests('/widget/flow\\.ts');
  const { el, names, events } = mount({ price: '9.00', locale: 'en' });
  await expect.poll(() => part(el, 'pay-button')).not.toBeNull();
  await click(el, 'pay-button');
  await waitFor(el, 'error');
  expect(events[0]!.detail).toMatchObject({ code: 'NETWORK', retryable: true });
  expect(part(el, 'pay-button')!.textContent).toBe('Pay ¥9.00');

  await commands.blockRequests(null);
  await click(el, 'pay-button');
  await waitFor(el, 'pending');
  expect(names()).toEqual(['codepay-error', 'codepay-order']);
});
