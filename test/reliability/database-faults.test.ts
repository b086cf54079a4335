/**
 * Issue 13, finding 7: "A corrupt database starts without complaint" (124 of 400 notifies got 500
 * while /healthz said ok). The signer runs as a real process on a real SQLite file: damaged, it
 * refuses to start with one line; when its writes fail, /healthz says so with a 503 until they work.
 */
import Database from 'better-sqlite3';
import { closeSync, mkdtempSync, openSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOrder, postJson, requestJson } from '../support/http.ts';
import { freePort, killAll, startSignerProcess, startTs } from '../support/processes.ts';

afterAll(killAll);

async function signerEnv(): Promise<Record<string, string>> {
  return {
    PORT: String(await freePort()),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'codepay-db-')),
    RATE_LIMIT_PER_MINUTE: '100000',
    OPEN_ORDERS_PER_CLIENT: '100000',
  };
}

/** Overwrites the file's pages after the first few (schema, migrations) with bytes no page has. */
function damage(file: string): void {
  const PAGE = 4096;
  const pages = statSync(file).size / PAGE;
  const fd = openSync(file, 'r+');
  try {
    for (let page = Math.floor(pages / 2); page < pages; page++)
      writeSync(fd, Buffer.alloc(PAGE / 2, 0xa5), 0, PAGE / 2, page * PAGE + 100);
  } finally {
    closeSync(fd);
  }
}

describe('a corrupt database starts without complaint', () => {
  it('no longer: the signer refuses to start, with one line that names the check', async () => {
    const env = await signerEnv();
    const signer = await startSignerProcess(env);
    const url = `http://127.0.0.1:${env.PORT}`;
    // Prices apart: the gateway has only a few amounts to give open orders of one price.
    for (let i = 0; i < 300; i++)
      await createOrder(url, { price: (1 + i / 100).toFixed(2), param: `order ${i} ${'x'.repeat(80)}` });
    await signer.kill('SIGTERM');
    damage(join(env.DATA_DIR, 'codepay.sqlite'));

    const restarted = startTs('server/main.ts', env);
    const outcome = await Promise.race([
      restarted.exited,
      new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000)),
    ]);
    await restarted.kill('SIGKILL');
    expect(outcome).toBe(1);
    const output = restarted.output().trim();
    expect(output).toMatch(
      /^codepay-checkout: could not start: the database .*codepay\.sqlite is damaged \(SQLite quick_check: .+\)/,
    );
    expect(output.split('\n')).toHaveLength(1);
  }, 60_000);
});

describe('/healthz while writes fail', () => {
  // Each write waits out SQLite's busy timeout (5 s) before it fails: a slow test, not a slow signer.
  it('says ok:false with a 503 while the database refuses writes, and ok again once they work', async () => {
    const env = await signerEnv();
    const signer = await startSignerProcess(env);
    const url = `http://127.0.0.1:${env.PORT}`;
    await createOrder(url, { price: '1.00' });
    // Another process holds the write lock (a stuck tool, a backup): the signer's writes time out.
    const other = new Database(join(env.DATA_DIR, 'codepay.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    try {
      const refused = await postJson(`${url}/api/orders`, { price: '1.00' });
      expect(refused.status).toBe(500);
      const health = await requestJson(`${url}/healthz`);
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({
        ok: false,
        store: { lastWriteFailure: { message: expect.stringMatching(/locked|busy/i), at: expect.any(Number) } },
      });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await postJson(`${url}/api/orders`, { price: '1.00' })).status).toBe(201);
    const health = await requestJson(`${url}/healthz`);
    expect([health.status, health.body.ok]).toEqual([200, true]);
    await signer.kill('SIGTERM');
  }, 60_000);
});
