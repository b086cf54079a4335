/**
 * Issue 13, finding 5: "A failed log write kills the signer". The signer runs as a real process whose
 * standard output is a full disk (/dev/full: ENOSPC) or a pipe whose reader went away (EPIPE): it
 * keeps answering, creating orders and taking payments, drops the lines it cannot write and counts
 * them in /healthz. A flood of forged notifies writes a bounded amount of log.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/api.ts';
import { createOrder, eventually, payAtSandbox, postForm, requestJson } from '../support/http.ts';
import {
  freePort,
  killAll,
  startProcess,
  startSignerProcess,
  waitForOutput,
  type Child,
} from '../support/processes.ts';

afterAll(killAll);

async function signerEnv(): Promise<Record<string, string>> {
  return {
    PORT: String(await freePort()),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'codepay-log-')),
    RATE_LIMIT_PER_MINUTE: '100000',
    SANDBOX_RETRY_SCHEDULE: '0.1,0.2,0.5',
  };
}

const FORGED_NOTIFY =
  'pay_id=nobody&money=1.00&price=1.00&type=1&pay_no=1&status=2&sign=00000000000000000000000000000000';

/** Everything a buyer and the gateway do, a few times over: each step must still be answered. */
async function stillServes(url: string, child: Child): Promise<void> {
  for (let round = 0; round < 3; round++) {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const order = await createOrder(url, { price: '1.00' });
    expect(await postForm(`${url}/api/notify`, FORGED_NOTIFY)).toEqual({ status: 400, text: 'fail' });
    await payAtSandbox(order.qr!.payload!);
    await eventually(async () =>
      (await requestJson<OrderView>(`${url}/api/orders/${order.id}`)).body.status === 'paid' ? true : undefined,
    );
    // The log lines of this round are written (or fail) on the next turn of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(await Promise.race([child.exited.then(() => 'exited'), Promise.resolve('running')])).toBe('running');
}

describe('a failed log write kills the signer', () => {
  it('no longer: with standard output on a full disk (ENOSPC) it serves on, and counts the lines it dropped', async () => {
    const env = await signerEnv();
    const full = openSync('/dev/full', 'w');
    try {
      const child = await startSignerProcess(env, { stdout: full });
      const url = `http://127.0.0.1:${env.PORT}`;
      await stillServes(url, child);
      const health = (await requestJson(`${url}/healthz`)).body;
      expect(health).toMatchObject({ ok: true, log: { droppedLines: expect.any(Number) } });
      expect(health.log.droppedLines).toBeGreaterThan(10);
      await child.kill('SIGTERM');
    } finally {
      closeSync(full);
    }
  });

  it('no longer: with its standard output reader gone (EPIPE) it serves on, and counts the lines it dropped', async () => {
    const env = await signerEnv();
    const child = await startSignerProcess(env);
    const url = `http://127.0.0.1:${env.PORT}`;
    child.closeStdout();
    await stillServes(url, child);
    expect((await requestJson(`${url}/healthz`)).body.log.droppedLines).toBeGreaterThan(10);
    await child.kill('SIGTERM');
  });

  it('writes how many lines it dropped once its output works again (a named pipe whose reader comes back)', async () => {
    const env = await signerEnv();
    const fifo = join(env.DATA_DIR, 'stdout.fifo');
    execFileSync('mkfifo', [fifo]);
    const firstReader = startProcess('cat', [fifo], {});
    // Opening for writing waits for the reader: cat is a process of its own, so it gets there.
    const writeEnd = openSync(fifo, 'w');
    const child = await startSignerProcess(env, { stdout: writeEnd });
    closeSync(writeEnd);
    const url = `http://127.0.0.1:${env.PORT}`;
    await waitForOutput(firstReader, /codepay-checkout signer: /);
    await firstReader.kill('SIGKILL');
    await stillServes(url, child);
    const dropped = (await requestJson(`${url}/healthz`)).body.log.droppedLines;
    expect(dropped).toBeGreaterThan(10);
    const secondReader = startProcess('cat', [fifo], {});
    await eventually(async () => {
      await fetch(`${url}/healthz`);
      return /log lines dropped/.test(secondReader.output()) || undefined;
    });
    const report = secondReader
      .output()
      .split('\n')
      .find((line) => line.includes('log lines dropped'))!;
    // Every line dropped until then (the /healthz answers' own request lines too), and none since.
    const { dropped: reported } = JSON.parse(report);
    expect(reported).toBeGreaterThan(dropped);
    expect((await requestJson(`${url}/healthz`)).body.log.droppedLines).toBe(reported);
    await child.kill('SIGTERM');
    await secondReader.kill('SIGKILL');
  });

  it('a flood of forged notifies writes a bounded log: the first in full, the repeats counted', async () => {
    const env = await signerEnv();
    const child = await startSignerProcess(env);
    const url = `http://127.0.0.1:${env.PORT}`;
    const before = child.output().length;
    const FLOOD = 2000;
    for (let sent = 0; sent < FLOOD; sent += 50) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => postForm(`${url}/api/notify`, FORGED_NOTIFY)));
      expect(answers.every((answer) => answer.text === 'fail')).toBe(true);
    }
    // A marked request after the flood: once its line is out, so is everything logged before it.
    await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'after-the-flood-0001' } });
    await waitForOutput(child, /after-the-flood-0001/);
    const written = child.output().slice(before);
    const lines = written.split('\n').filter((line) => line.includes('notify'));
    // Before: two lines a notify (the refusal and the request), 4,000 lines and ~550 KB.
    expect(lines.length).toBeLessThanOrEqual(4);
    expect(written.length).toBeLessThan(5_000);
    await child.kill('SIGTERM');
  });
});
