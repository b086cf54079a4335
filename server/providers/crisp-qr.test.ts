import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { crispQr, type Rgba } from './crisp-qr.ts';
import { decodeQrPng } from './qr.ts';

const PAYLOAD = 'http://127.0.0.1:8787/sandbox/pay/6313229228601';

async function rgba(options: QRCode.QRCodeToBufferOptions): Promise<Rgba> {
  const image = PNG.sync.read(await QRCode.toBuffer(PAYLOAD, { type: 'png', ...options }));
  return { data: new Uint8ClampedArray(image.data), width: image.width, height: image.height };
}

describe('crispQr', () => {
  it('redraws a crisp QR small, and it reads the same', async () => {
    for (const options of [
      { margin: 2, scale: 6 },
      { margin: 4, scale: 3 },
      { margin: 0, scale: 10 },
    ]) {
      const small = crispQr(await rgba(options));
      expect(small).toBeDefined();
      expect(jsQR(small!.data, small!.width, small!.height)?.data).toBe(PAYLOAD);
    }
  });

  it('leaves to jsQR what is not a crisp QR: grey pixels, no dark pixel, a mark outside the symbol', async () => {
    const grey = await rgba({ margin: 2, scale: 6 });
    grey.data.set([128, 128, 128], 0);
    expect(crispQr(grey)).toBeUndefined();
    const blank = { data: new Uint8ClampedArray(40 * 40 * 4).fill(255), width: 40, height: 40 };
    expect(crispQr(blank)).toBeUndefined();
    const marked = await rgba({ margin: 4, scale: 4 });
    const last = (marked.width * marked.height - 1) * 4;
    marked.data.set([0, 0, 0], last);
    expect(crispQr(marked)).toBeUndefined();
  });

  it('does not change what decodeQrPng reads, crisp or not', async () => {
    expect(decodeQrPng(await QRCode.toBuffer(PAYLOAD, { type: 'png', margin: 2, scale: 6 }))).toBe(PAYLOAD);
    // Non-integer scaling (a resized image): not crisp, read by jsQR whole.
    const image = await rgba({ margin: 2, scale: 4 });
    const side = Math.round(image.width * 1.3);
    const resized = new PNG({ width: side, height: side });
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const from = (Math.floor(y / 1.3) * image.width + Math.floor(x / 1.3)) * 4;
        resized.data.set(image.data.subarray(from, from + 4), (y * side + x) * 4);
      }
    }
    expect(crispQr({ data: new Uint8ClampedArray(resized.data), width: side, height: side })).toBeUndefined();
    expect(decodeQrPng(PNG.sync.write(resized))).toBe(PAYLOAD);
  });
});
