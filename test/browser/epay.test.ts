/**
 * The widget on the test page's origin, its signer on another with GATEWAY=epay (the epay sandbox at
 * /sandbox): the QR the widget draws is read back from a screenshot, its URL (the sandbox's pay
 * page) paid as a phone would, and the widget turns paid once; a `payurl` answer is drawn the same.
 */
import { afterEach, expect, inject, it } from 'vitest';
import { commands } from 'vitest/browser';
import { cleanup, click, mount, part, readQr, waitFor } from './helpers.ts';

const signer = () => inject('epaySignerUrl');
/** Which answer mapi.php gives (`null`: the sandbox's default, `qrcode`). */
const answerKind = async (kind: string | null) => {
  const answer = await commands.nodeFetch(`${signer()}/sandbox/_control/answers`, {
    method: 'POST',
    body: JSON.stringify({ kind }),
  });
  expect(answer.status, answer.body).toBe(200);
};

afterEach(async () => {
  cleanup();
  await answerKind(null);
});

it.each(['qrcode', 'payurl'])(
  'pays through the epay sandbox (%s): the QR from a screenshot paid at its page, codepay-paid once',
  async (kind) => {
    expect(new URL(signer()).origin).not.toBe(location.origin);
    await answerKind(kind);
    const { el, names, order } = mount({ endpoint: signer(), price: '6.60', type: '1', locale: 'en' });
    await expect.poll(() => part(el, 'pay-button')).not.toBeNull();
    await click(el, 'pay-button');
    await waitFor(el, 'pending');
    expect(order()).toMatchObject({ price: '6.60', money: '6.60' });
    // A pay page is also the link a phone opens; a qrcode is only drawn.
    expect(order().qr!.link).toBe(kind === 'payurl' ? order().qr!.payload : undefined);

    const payUrl = await readQr(el);
    expect(payUrl).toBe(order().qr!.payload);
    expect(payUrl).toMatch(new RegExp(`^${signer()}/sandbox/pay/`));
    const paid = await commands.nodeFetch(payUrl!, { method: 'POST' });
    expect([paid.status, JSON.parse(paid.body).paid]).toEqual([200, true]);

    await waitFor(el, 'paid');
    expect(names().filter((name) => name === 'codepay-paid')).toHaveLength(1);
  },
);
