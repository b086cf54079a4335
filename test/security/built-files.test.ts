/**
 * The widget bundles carry no secret: built with a merchant key and an API secret in the
 * environment (as on a merchant's build machine), no built file holds either, nor the sandbox's
 * credentials, nor code that reads them. The built files in dist/ are checked too when present.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, expect, it } from 'vitest';
import { SANDBOX_MERCHANT_KEY, SANDBOX_MERCHANT_TOKEN } from '../../server/sandbox/credentials.ts';
import { ROOT } from '../support/processes.ts';

const KEY = `build-key-${randomBytes(8).toString('hex')}`;
const SECRET = `build-secret-${randomBytes(8).toString('hex')}`;
const outDir = mkdtempSync(join(tmpdir(), 'codepay-build-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

it('no built widget file holds the merchant key, the API secret or the sandbox credentials', async () => {
  const saved = { ...process.env };
  Object.assign(process.env, { CODEPAY_KEY: KEY, VITE_CODEPAY_KEY: KEY, API_SECRET: SECRET, VITE_API_SECRET: SECRET });
  try {
    for (const mode of ['production', 'npm']) {
      await build({
        configFile: join(ROOT, 'vite.config.ts'),
        root: ROOT,
        mode,
        logLevel: 'silent',
        build: { outDir: join(outDir, mode), emptyOutDir: true },
      });
    }
  } finally {
    process.env = saved;
  }
  const built = filesUnder(outDir);
  // The signer's own build (dist/node) is server code: it holds the sandbox's public test credentials by design.
  const shipped = [
    ...filesUnder(join(ROOT, 'dist')).filter((path) => !path.includes(`${join('dist', 'node')}`)),
    ...built,
  ];
  expect(built.filter((path) => path.endsWith('.js')).length).toBeGreaterThanOrEqual(3);
  for (const path of shipped) {
    const text = readFileSync(path, 'utf8');
    for (const secret of [KEY, SECRET, SANDBOX_MERCHANT_KEY, SANDBOX_MERCHANT_TOKEN, 'CODEPAY_KEY', 'API_SECRET']) {
      expect(text.includes(secret), `${secret} in ${path}`).toBe(false);
    }
  }
});
