/**
 * The click → QR baseline: a bare page that, on its button's click, makes one fetch (create the
 * order at the signer) and one `qrcode` SVG render.
 */
import { toString } from 'qrcode';

const button = document.querySelector<HTMLButtonElement>('#pay')!;
const target = document.querySelector<HTMLDivElement>('#qr')!;
const endpoint = button.dataset.endpoint!;

button.addEventListener('click', async () => {
  const response = await fetch(`${endpoint}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ price: button.dataset.price }),
  });
  const order = (await response.json()) as { qr: { payload: string } };
  target.innerHTML = await toString(order.qr.payload, { type: 'svg' });
});
