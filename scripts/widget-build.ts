/**
 * Builds the widget bundle the signer serves (dist/codepay-checkout.js and its lazy chunk) unless it
 * is newer than everything it is built from. `npm start` and the tests run it; `npm run build` builds
 * everything, always.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// package-lock.json: an update of Lit or the QR encoder changes the bundle too.
const SOURCES = ['widget', 'shared', 'vite.config.ts', 'package-lock.json'];

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

export function ensureWidgetBuilt(): void {
  const bundle = join(ROOT, 'dist', 'codepay-checkout.js');
  const sources = Math.max(...SOURCES.map((source) => newest(join(ROOT, source))));
  if (existsSync(bundle) && statSync(bundle).mtimeMs > sources) return;
  // In a process of its own, as `npm run build` does: inside vitest (NODE_ENV=test) Vite would pick
  // Lit's development build, and the tests would check another bundle than the one users get.
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  execFileSync(process.execPath, [vite, 'build', '--emptyOutDir=false', '--logLevel', 'warn'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureWidgetBuilt();
