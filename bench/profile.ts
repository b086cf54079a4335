/**
 * Where a figure's server time goes: runs one load against a signer started with --cpu-prof and
 * prints the busy time by function, by package and inclusive (percent of busy time, idle left out).
 *   npx tsx bench/profile.ts read|notify|create [seconds]
 * The raw .cpuprofile stays in bench/results/profiles/ (open it in Chrome DevTools).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request } from 'autocannon';
import { startServer } from './lib/child.ts';
import { pinLoadGenerator } from './lib/cpu.ts';
import { summarizeProfile, type Share } from './lib/cpu-profile.ts';
import { measure, type LoadTarget } from './lib/load.ts';
import { preparedSequence } from './lib/request-pool.ts';
import {
  BENCH_SIGNER_LIMITS,
  createOrder,
  createOrders,
  freshPayNo,
  notifyBody,
  spreadPrice,
} from './lib/signer-client.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const PROFILES = join(ROOT, 'bench/results/profiles');

const loads: Record<string, (url: string) => Promise<LoadTarget>> = {
  read: async (url) => ({ url: `${url}/api/orders/${(await createOrder(url, 1)).id}`, connections: 100 }),
  notify: async (url) => {
    const orders = await createOrders(url, 50);
    const next = preparedSequence((n) => notifyBody(orders[n % orders.length], freshPayNo()), 50_000);
    const request: Request = {
      method: 'POST',
      path: '/api/notify',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      setupRequest: (req) => ({ ...req, body: next() }),
    };
    return { url, connections: 50, requests: [request] };
  },
  create: async (url) => {
    let n = 0;
    const request: Request = {
      method: 'POST',
      path: '/api/orders',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req) => ({ ...req, body: JSON.stringify({ price: spreadPrice(n++) }) }),
    };
    return { url, connections: 16, requests: [request] };
  },
};

const print = (title: string, shares: Share[]) =>
  process.stdout.write(
    `\n${title}\n${shares.map((s) => `${s.percent.toFixed(1).padStart(6)}%  ${s.name}`).join('\n')}\n`,
  );

async function main(): Promise<void> {
  const [name = 'read', seconds = '8'] = process.argv.slice(2);
  const load = loads[name];
  if (!load) throw new Error(`usage: bench/profile.ts ${Object.keys(loads).join('|')} [seconds]`);
  pinLoadGenerator();
  const workDir = mkdtempSync(join(tmpdir(), 'codepay-profile-'));
  const profileDir = join(PROFILES, `${name}-${Date.now()}`);
  mkdirSync(profileDir, { recursive: true });
  const signer = await startServer('signer', {
    logFile: join(workDir, 'signer.log'),
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
    env: { PORT: '0', DATA_DIR: join(workDir, 'data'), ...BENCH_SIGNER_LIMITS },
  });
  try {
    const target = await load(signer.url);
    const round = await measure({ ...target, pid: signer.pid }, Number(seconds));
    process.stdout.write(
      `${name}: ${round.rps.toFixed(0)} answers/s, ${round.cpuMs.toFixed(3)} ms CPU each, p50 ${round.p50} ms, p99 ${round.p99} ms\n`,
    );
  } finally {
    await signer.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile was written');
  const summary = summarizeProfile(join(profileDir, file), ROOT);
  process.stdout.write(
    `busy ${(summary.busyMs / 1000).toFixed(2)} s (start-up included); profile: ${join(profileDir, file)}\n`,
  );
  print('self time by function', summary.selfByFunction);
  print('self time by package', summary.selfByPackage);
  print('inclusive', summary.inclusive);
}

await main();
