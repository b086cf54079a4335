/**
 * The QR encoder as the build bundles it (vite.config.ts rewrites qrcode's CommonJS parts as ES
 * modules) draws module for module what the `qrcode` package itself draws, from version 1 to 40.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import { build } from 'vite';
import { afterAll, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), 'codepay-qr-build-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** qrcode's own symbol, as the same runs of dark modules. */
function reference(payload: string): { size: number; path: string } {
  const { size, data } = QRCode.create([{ data: Buffer.from(payload), mode: 'byte' }], {
    errorCorrectionLevel: 'M',
  }).modules;
  let path = '';
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      if (!data[y * size + x]) continue;
      const start = x;
      while (x + 1 < size && data[y * size + x + 1]) x++;
      path += `M${start} ${y}h${x + 1 - start}v1H${start}z`;
    }
  return { size, path };
}

test('the built encoder draws what qrcode draws, for payloads of every length up to version 40', async () => {
  await build({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, lib: { entry: join(ROOT, 'widget/qr.ts'), formats: ['es'] } },
  });
  const { encodeQr } = (await import(join(outDir, 'codepay-checkout.js'))) as typeof import('../../widget/qr.ts');
  const alphabet = 'https://pay.example.com/p/支付?id=0123456789';
  const payloads = ['a'.repeat(2331)]; // the most version 40-M holds
  for (let length = 1; length < 2100; length += length < 150 ? 1 : 29)
    payloads.push(Array.from({ length }, (_, i) => alphabet[(i * 7 + length) % alphabet.length]).join(''));
  const fits = (payload: string) => new TextEncoder().encode(payload).length <= 2331;
  const sizes = new Set<number>();
  for (const payload of payloads.filter(fits)) {
    const expected = reference(payload);
    expect(encodeQr(payload), payload).toEqual(expected);
    sizes.add(expected.size);
  }
  expect(Math.max(...sizes)).toBe(177); // version 40 reached
}, 60_000);
