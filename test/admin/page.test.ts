/** The console's page and script as the signer serves them from console-ui's build (dist/console). */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleStack } from '../support/console.ts';
import type { Stack } from '../support/stack.ts';

const PAGE = fileURLToPath(new URL('../../dist/console/index.html', import.meta.url));

let stack: Stack;
beforeAll(async () => {
  stack = await startConsoleStack();
});
afterAll(() => stack.stop({ removeData: true }));

// The bundle is console-ui's build (`npm test` builds it first, through scripts/widget-build.ts);
// a checkout that has not built it yet has nothing to serve.
describe.skipIf(!existsSync(PAGE))('the console page', () => {
  it('serves the built page and its script, typed, revalidated with an ETag', async () => {
    const page = await fetch(`${stack.url}/admin/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    expect(html).toBe(readFileSync(PAGE, 'utf8'));
    const script = /<script type="module" src="(assets\/[^"]+\.js)"/.exec(html)![1];
    const asset = await fetch(`${stack.url}/admin/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    const etag = asset.headers.get('etag')!;
    const again = await fetch(`${stack.url}/admin/${script}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });
});

describe('the console’s files', () => {
  it('serves nothing outside its assets folder', async () => {
    for (const path of [
      'assets/..%2Findex.html',
      'assets/%2e%2e%2f%2e%2e%2fpackage.json',
      'assets/.env',
      'assets/x.exe',
    ]) {
      const answer = await fetch(`${stack.url}/admin/${path}`);
      expect([path, answer.status]).toEqual([path, 404]);
    }
  });
});
