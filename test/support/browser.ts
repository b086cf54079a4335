/**
 * End to end in real Chromium from a node test: Debian's /usr/bin/chromium driven by
 * playwright-core (no browser download), a shop page served from an origin of its own, the
 * widget bundle built when the sources are newer, and QR codes read back from screenshots.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { chromium, type Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { build } from 'vite';
import { ROOT } from './processes.ts';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

function newestSource(dir: string): number {
  return Math.max(...readdirSync(dir).map((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
  }));
}

/** Builds dist/codepay-checkout.js (what the signer serves) unless it is newer than every widget source. */
export async function ensureWidgetBuilt(): Promise<void> {
  const bundle = join(ROOT, 'dist', 'codepay-checkout.js');
  if (existsSync(bundle) && statSync(bundle).mtimeMs > Math.max(newestSource(join(ROOT, 'widget')), newestSource(join(ROOT, 'shared')))) return;
  await build({ configFile: join(ROOT, 'vite.config.ts'), root: ROOT, logLevel: 'warn', build: { emptyOutDir: false } });
}

export interface Site {
  url: string;
  close(): Promise<void>;
}

/** A shop: one HTML page on 127.0.0.1, on a port (so an origin) of its own. */
export async function startSite(page: () => string): Promise<Site> {
  const server: Server = createServer((request, response) => {
    if (request.url !== '/') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The text a screenshot (PNG) of a QR code holds, read by jsQR; undefined when none is readable. */
export function readQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}
