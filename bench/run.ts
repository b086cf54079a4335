/**
 * `npm run bench`: every figure of issue 6 on this machine, each with its baseline measured in
 * the same run. Writes bench/results/latest.{md,json} (and a dated JSON) and prints the table.
 * BENCH_ONLY=order-read,notify,... runs some figures; BENCH_QUICK=1 shortens every round.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type ServerProcess } from './lib/child.ts';
import { BENCH_SIGNER_LIMITS } from './lib/signer-client.ts';
import { canPin, pinLoadGenerator } from './lib/cpu.ts';
import type { BenchContext, Figure } from './lib/figure.ts';
import { describeMachine, markdownTable } from './report.ts';
import { orderRead } from './figures/order-read.ts';
import { notifies } from './figures/notify.ts';
import { creations } from './figures/create.ts';
import { LATENCY_WATCHERS, paidLatency } from './figures/paid-latency.ts';
import { manyWatchers } from './figures/watchers.ts';
import { widgetSizes } from './figures/widget-size.ts';
import { clickToQr } from './figures/click-to-qr.ts';
import type { OrderView } from '../shared/api.ts';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
/** The whole run stops by itself, whatever hangs. */
const WATCHDOG_MS = 15 * 60_000;
const WATCHERS = 10_000;

type Step = (ctx: BenchContext, workDir: string) => Promise<Figure[]>;

/** A fresh signer for a group of figures, so one figure's data never slows another's. */
async function withSigner<T>(ctx: BenchContext, name: string, use: (signer: ServerProcess) => Promise<T>): Promise<T> {
  const signer = await startServer('signer', {
    logFile: join(ctx.workDir, `${name}.log`),
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: join(ctx.workDir, name),
      ...BENCH_SIGNER_LIMITS,
    },
  });
  try {
    return await use(signer);
  } finally {
    await signer.stop();
  }
}

const steps: Record<string, Step> = {
  'order-read': (ctx) => withSigner(ctx, 'signer-read', async (signer) => [await orderRead(ctx, signer)]),
  notify: (ctx) => withSigner(ctx, 'signer-notify', async (signer) => [await notifies(ctx, signer)]),
  create: (ctx) => withSigner(ctx, 'signer-create', async (signer) => [await creations(ctx, signer)]),
  sse: (ctx) =>
    withSigner(ctx, 'signer-sse', async (signer) => {
      const orders = await signer.ask<OrderView[]>('seed', { count: LATENCY_WATCHERS + WATCHERS });
      const latency = await paidLatency(ctx, signer, orders.slice(0, LATENCY_WATCHERS));
      const many = await manyWatchers(ctx, signer, orders.slice(LATENCY_WATCHERS));
      return [latency, many];
    }),
  widget: (ctx) => widgetSizes(ctx),
  'click-to-qr': (ctx) => clickToQr(ctx).then((figure) => [figure]),
};

async function main(): Promise<void> {
  setTimeout(() => {
    process.stderr.write(`bench: still running after ${WATCHDOG_MS / 60_000} min, giving up\n`);
    process.exit(1);
  }, WATCHDOG_MS).unref();
  pinLoadGenerator();
  const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
  const workDir = mkdtempSync(join(tmpdir(), 'codepay-bench-'));
  const ctx: BenchContext = {
    workDir,
    quick: process.env.BENCH_QUICK === '1',
    log: (line) => process.stderr.write(`${line}\n`),
  };
  const started = performance.now();
  const figures: Figure[] = [];
  try {
    for (const [name, step] of Object.entries(steps)) {
      if (only && !only.includes(name)) continue;
      ctx.log(`bench: ${name} …`);
      const stepStarted = performance.now();
      figures.push(...(await step(ctx, workDir)));
      ctx.log(`bench: ${name} done in ${((performance.now() - stepStarted) / 1000).toFixed(1)} s`);
    }
  } finally {
    if (!process.env.BENCH_KEEP) rmSync(workDir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  const machine = describeMachine(canPin);
  const table = markdownTable(figures, machine, seconds);
  mkdirSync(RESULTS, { recursive: true });
  const json = JSON.stringify({ at: new Date().toISOString(), machine, seconds, figures }, null, 2);
  writeFileSync(join(RESULTS, 'latest.json'), json);
  writeFileSync(join(RESULTS, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), json);
  writeFileSync(join(RESULTS, 'latest.md'), `${table}\n`);
  process.stdout.write(`${table}\n`);
}

await main();
