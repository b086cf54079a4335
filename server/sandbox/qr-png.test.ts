import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { decodeQrPng } from '../providers/qr.ts';
import { qrPng } from './qr-png.ts';

describe('qrPng', () => {
  it("draws the very pixels of qrcode's own PNG renderer", async () => {
    for (const text of [
      'http://127.0.0.1:8787/sandbox/pay/6313229228601',
      'x',
      'https://pay.example.com/sandbox/pay/' + '9'.repeat(60),
    ]) {
      for (const options of [
        { margin: 2, scale: 6 },
        { margin: 4, scale: 1 },
      ]) {
        const ours = PNG.sync.read(qrPng(text, options));
        const theirs = PNG.sync.read(await QRCode.toBuffer(text, { type: 'png', ...options }));
        expect([ours.width, ours.height]).toEqual([theirs.width, theirs.height]);
        expect(Buffer.compare(ours.data, theirs.data)).toBe(0);
      }
    }
  });

  it('reads back as its text', () => {
    expect(decodeQrPng(qrPng('http://127.0.0.1:8787/sandbox/pay/42', { margin: 2, scale: 6 }))).toBe(
      'http://127.0.0.1:8787/sandbox/pay/42',
    );
  });
});
