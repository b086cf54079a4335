/** The payment links where a merchant looks for them: the admin CLI's `links`, and `npm start`'s banner. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProductLink } from '../../server/http/links.ts';
import { freePort, killAll, startTs, waitForOutput } from '../support/processes.ts';

afterAll(killAll);

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PRODUCTS = JSON.stringify({
  tea: { name: 'Green tea', price: '9.90' },
  'gift-card.50': { name: '礼品卡 Gift card', price: '50' },
});

function cli(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/codepay-checkout.js', ...args],
      { cwd: ROOT, env: { ...process.env, DATA_DIR: mkdtempSync(join(tmpdir(), 'codepay-links-cli-')), ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('admin CLI: links', () => {
  it("prints each product's link at PUBLIC_URL, and the open amounts' form", async () => {
    const run = await cli(
      { PUBLIC_URL: 'https://pay.example.com/shop', PRODUCTS, PRICE_MIN: '1', PRICE_MAX: '200' },
      'links',
    );
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^product\s+name\s+price\s+link$/);
    expect(lines[1]).toMatch(/^tea\s+Green tea\s+9\.90\s+https:\/\/pay\.example\.com\/shop\/pay\/tea$/);
    expect(lines[2]).toMatch(
      /^gift-card\.50\s+礼品卡 Gift card\s+50\.00\s+https:\/\/pay\.example\.com\/shop\/pay\/gift-card\.50$/,
    );
    expect(run.stdout).toContain('open amounts, 1.00 to 200.00: https://pay.example.com/shop/pay?price=1.00');
    expect(run.stdout).not.toContain('PUBLIC_URL is not set');
  });

  it('--json: the same links as the console gets them', async () => {
    const run = await cli({ PUBLIC_URL: 'https://pay.example.com', PRODUCTS }, 'links', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout) as ProductLink[]).toEqual([
      { id: 'tea', name: 'Green tea', price: '9.90', url: 'https://pay.example.com/pay/tea' },
      { id: 'gift-card.50', name: '礼品卡 Gift card', price: '50.00', url: 'https://pay.example.com/pay/gift-card.50' },
    ]);
  });

  it('without PUBLIC_URL: the listening address, and says to set PUBLIC_URL', async () => {
    const run = await cli({ PORT: '8899', PRODUCTS }, 'links');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('http://127.0.0.1:8899/pay/tea');
    expect(run.stdout).toContain('PUBLIC_URL is not set');
    expect(run.stdout).not.toContain('open amounts');
  });

  it('a bad MERCHANT_NAME stops it with the setting named', async () => {
    const run = await cli({ MERCHANT_NAME: 'x'.repeat(65) }, 'links');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/configuration error: MERCHANT_NAME: /);
  });
});

describe('npm start', () => {
  it('prints the payment links of the first products, and where to find the rest', async () => {
    const many = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((id) => [id, { name: `Item ${id}`, price: '1' }]));
    const port = String(await freePort());
    const child = startTs('server/main.ts', {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'codepay-links-start-')),
      PORT: port,
      PRODUCTS: JSON.stringify(many),
    });
    await waitForOutput(child, /SANDBOX MODE/);
    const output = child.output();
    expect(output).toContain('Payment links:');
    expect(output).toContain(`http://127.0.0.1:${port}/pay/a  (Item a, ¥1.00)`);
    expect(output).toContain(`http://127.0.0.1:${port}/pay/c  (Item c, ¥1.00)`);
    expect(output).not.toContain('/pay/d');
    expect(output).toContain('… 2 more: npm run admin -- links');
    await child.kill('SIGTERM');
  });
});
