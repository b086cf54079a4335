/**
 * Builds the bundles the signer serves, each unless it is newer than everything it is built from:
 * the widget (dist/codepay-checkout.js and its lazy chunk) and the merchant's console
 * (dist/console/). `npm start` and the tests run it; `npm run build` builds everything, always.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// package-lock.json: an update of Lit or the QR encoder changes the bundles too.
const COMMON = ['shared', 'vite.config.ts', 'package-lock.json'];
const CONSOLE = 'widget/console';

interface Build {
  bundle: string;
  /** Vite's --mode; none for the widget. */
  mode?: string;
  sources: string[];
}

const BUILDS: Build[] = [
  // The console reuses a few widget modules (i18n, the QR encoder), never the other way round.
  { bundle: 'dist/codepay-checkout.js', sources: ['widget', ...COMMON] },
  { bundle: 'dist/console/assets/console.js', sources: ['widget', ...COMMON], mode: 'console' },
];

/** The newest modification time under `path`; `skip`'s tree does not count. */
function newest(path: string, skip?: string): number {
  if (path === skip) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name), skip)));
}

function ensureBuilt({ bundle, mode, sources }: Build): void {
  const output = join(ROOT, bundle);
  // The widget's own sources are widget/ without the console's.
  const skip = mode ? undefined : join(ROOT, CONSOLE);
  const changed = Math.max(...sources.map((source) => newest(join(ROOT, source), skip)));
  if (existsSync(output) && statSync(output).mtimeMs > changed) return;
  // In a process of its own, as `npm run build` does: inside vitest (NODE_ENV=test) Vite would pick
  // Lit's development build, and the tests would check another bundle than the one users get.
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  const args = [vite, 'build', ...(mode ? ['--mode', mode] : ['--emptyOutDir=false']), '--logLevel', 'warn'];
  execFileSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
}

export function ensureWidgetBuilt(): void {
  for (const build of BUILDS) ensureBuilt(build);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureWidgetBuilt();
