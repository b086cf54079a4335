/** What the widget offers for each kind of gateway answer, on a phone and on a desktop. */
import { describe, expect, test } from 'vitest';
import { payOptions } from '../../widget/pay-options.ts';

const PAGE = 'https://pay.example.com/pay/12345';
const SCHEME = 'alipays://platformapi/startapp?saId=10000007&qrcode=https%3A%2F%2Fqr.alipay.com%2Fbax01';

describe.each([
  ['desktop', false],
  ['phone', true],
] as const)('on a %s', (_, phone) => {
  test('a QR text that is a web page (CodePay, epay qrcode): drawn, and opened on a phone', () => {
    expect(payOptions({ payload: PAGE }, phone)).toEqual({ scan: PAGE, open: phone ? PAGE : undefined });
  });

  test('a QR text that is no web page (wxp://…): drawn, nothing to open', () => {
    expect(payOptions({ payload: 'wxp://f2f0abc' }, phone)).toEqual({ scan: 'wxp://f2f0abc', open: undefined });
  });

  test('epay payurl: the page drawn as a QR, opened on a phone', () => {
    expect(payOptions({ payload: PAGE, link: PAGE }, phone)).toEqual({ scan: PAGE, open: phone ? PAGE : undefined });
    // A link alone that is a web page is drawn too.
    expect(payOptions({ link: PAGE }, phone)).toEqual({ scan: PAGE, open: phone ? PAGE : undefined });
  });

  test("epay urlscheme with its pay page: the page drawn, the app's scheme opened on a phone", () => {
    expect(payOptions({ payload: PAGE, link: SCHEME }, phone)).toEqual({
      scan: PAGE,
      open: phone ? SCHEME : undefined,
    });
  });

  test('epay urlscheme alone: no QR to draw; opened on a phone, nothing to open on a desktop', () => {
    expect(payOptions({ link: SCHEME }, phone)).toEqual({ scan: undefined, open: phone ? SCHEME : undefined });
  });

  test("the gateway's image when its payload could not be read", () => {
    expect(payOptions({ image: '/api/orders/x/qr.png' }, phone)).toEqual({
      image: '/api/orders/x/qr.png',
      scan: undefined,
      open: undefined,
    });
  });
});
